"""Walking the API's own OpenAPI description: its operations, their parameters and the fields of their bodies."""

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

METHODS = ('get', 'post', 'put', 'patch', 'delete')


@dataclass(frozen=True)
class Operation:
    method: str
    path: str
    spec: dict[str, Any]

    @property
    def label(self) -> str:
        return f'{self.method.upper()} {self.path}'

    @property
    def parameters(self) -> list[dict[str, Any]]:
        return self.spec.get('parameters', [])

    def json_body(self, schema: dict[str, Any]) -> dict[str, Any] | None:
        """The JSON schema of the request body (references resolved at the top), None without a JSON body."""
        content = self.spec.get('requestBody', {}).get('content', {})
        body = content.get('application/json')
        return resolve(schema, body['schema']) if body else None


def operations(schema: dict[str, Any]) -> Iterator[Operation]:
    for path, item in schema['paths'].items():
        for method in METHODS:
            if method in item:
                yield Operation(method, path, item[method])


def resolve(schema: dict[str, Any], node: dict[str, Any]) -> dict[str, Any]:
    while '$ref' in node:
        node = schema['components']['schemas'][node['$ref'].rsplit('/', 1)[-1]]
    return node


def branches(schema: dict[str, Any], node: dict[str, Any]) -> Iterator[dict[str, Any]]:
    """The alternatives of `anyOf`/`oneOf` (or the node itself), resolved."""
    node = resolve(schema, node)
    alternatives = node.get('anyOf') or node.get('oneOf')
    if alternatives:
        for alternative in alternatives:
            yield from branches(schema, alternative)
    else:
        yield node


def is_id_name(name: str) -> bool:
    return name == 'id' or name == 'ids' or name.endswith('_id') or name.endswith('_ids')


def id_fields(schema: dict[str, Any], node: dict[str, Any], prefix: tuple = ()) -> Iterator[tuple[tuple, dict]]:
    """Each integer id field of a body: its location (names, and 0 for an array's first item) and its schema."""
    for branch in branches(schema, node):
        for name, field in branch.get('properties', {}).items():
            for option in branches(schema, field):
                if option.get('type') == 'integer' and is_id_name(name):
                    yield (*prefix, name), option
                elif option.get('type') == 'array':
                    item = resolve(schema, option.get('items', {}))
                    if item.get('type') == 'integer' and is_id_name(name):
                        yield (*prefix, name, 0), item
                    else:
                        yield from id_fields(schema, item, (*prefix, name, 0))
                elif option.get('type') == 'object' or 'properties' in option:
                    yield from id_fields(schema, option, (*prefix, name))


def body_with(location: tuple, value: Any) -> Any:
    """A JSON body holding `value` at `location` and nothing else."""
    if not location:
        return value
    head, rest = location[0], location[1:]
    return [body_with(rest, value)] if head == 0 else {head: body_with(rest, value)}
