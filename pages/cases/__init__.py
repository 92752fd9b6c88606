"""Cases (dossiers): list, board, case page and form."""

from pages.cases import case_board, case_detail, case_list


def register() -> None:
    # /cases/board before /cases/{case_id}: the first route that matches wins
    case_list.register()
    case_board.register()
    case_detail.register()
