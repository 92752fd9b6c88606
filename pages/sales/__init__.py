"""The catalogue and sales."""

from pages.sales import products, sale_list


def register() -> None:
    products.register()
    sale_list.register()
