"""Every id the API takes is bounded like the 32-bit columns: one past the range is a 422 naming the parameter or
field, never a 500 (PostgreSQL refused it in the driver) — walked from the OpenAPI description, on both databases."""

from services.validation import MAX_ID
from tests.api.conftest import bearer
from tests.api.openapi_walk import body_with, id_fields, is_id_name, operations
from tests.factories import PASSWORD, make_tenant

TOO_BIG = [MAX_ID + 1, 2**63, 10**30]


def _names_field(response, field: str) -> bool:
    errors = response.json().get('errors', [])
    return response.status_code == 422 and any(error['field'].endswith(field) for error in errors)


def _id_parameters(operation):
    for parameter in operation.parameters:
        types = {option.get('type') for option in parameter['schema'].get('anyOf', [parameter['schema']])}
        if 'integer' in types and is_id_name(parameter['name']):
            yield parameter


def test_every_id_is_bounded_in_the_openapi_description(client):
    schema = client.get('/openapi.json').json()
    unbounded = []
    for operation in operations(schema):
        for parameter in _id_parameters(operation):
            bounds = [option for option in parameter['schema'].get('anyOf', [parameter['schema']])
                      if option.get('type') == 'integer']
            if any(option.get('minimum') != 1 or option.get('maximum') != MAX_ID for option in bounds):
                unbounded.append(f'{operation.label} {parameter["in"]} {parameter["name"]}')
        body = operation.json_body(schema)
        for location, field in id_fields(schema, body) if body else ():
            if field.get('minimum') != 1 or field.get('maximum') != MAX_ID:
                unbounded.append(f'{operation.label} body {location}')
    assert unbounded == []


def test_huge_ids_in_path_query_and_body_are_422_naming_the_field(client):
    admin = make_tenant()
    headers = bearer(client, admin.email, PASSWORD)
    schema = client.get('/openapi.json').json()
    wrong, tried = [], 0
    for operation in operations(schema):
        if 'webhooks/external' in operation.path:
            continue  # signed deliveries: the signature is checked before the body (test_webhooks_api covers it)
        path_ids = [p['name'] for p in operation.parameters if p['in'] == 'path']
        for parameter in _id_parameters(operation):
            for huge in TOO_BIG:
                values = {name: huge if name == parameter['name'] else 1 for name in path_ids}
                url = operation.path.format(**values)
                params = {parameter['name']: huge} if parameter['in'] == 'query' else None
                response = client.request(operation.method, url, headers=headers, params=params)
                tried += 1
                if not _names_field(response, parameter['name']):
                    wrong.append(f'{operation.label} {parameter["name"]}={huge}: {response.status_code}')
        body = operation.json_body(schema)
        url = operation.path.format(**dict.fromkeys(path_ids, 1))
        for location, _ in id_fields(schema, body) if body else ():
            for huge in TOO_BIG:
                response = client.request(operation.method, url, headers=headers, json=body_with(location, huge))
                tried += 1
                field = '.'.join(str(part) for part in location)
                if not _names_field(response, field):
                    wrong.append(f'{operation.label} body {field}={huge}: {response.status_code} {response.text}')
    assert wrong == [] and tried > 150
