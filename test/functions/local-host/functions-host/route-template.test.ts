/** Route templates in the Functions host's syntax. */
import { matchRoute, parseRouteTemplate } from '../../../../functions/local-host/functions-host/route-template';

const match = (template: string, path: string) => matchRoute(parseRouteTemplate(template), path);

test.each([
  ['items/{id}', 'items/42', { id: '42' }],
  ['items/{id}', 'ITEMS/42', { id: '42' }],
  ['items/{id}', 'items', null],
  ['items/{id}', 'items/1/2', null],
  ['items/{id?}', 'items', {}],
  ['items/{id=7}', 'items', { id: '7' }],
  ['items/{id:int}', 'items/-3', { id: '-3' }],
  ['items/{id:int}', 'items/x', null],
  ['items/{id:int?}', 'items', {}],
  ['items/{id:guid}', 'items/0f8fad5b-d9cb-469f-a165-70867728950e', { id: '0f8fad5b-d9cb-469f-a165-70867728950e' }],
  ['items/{flag:bool}', 'items/TRUE', { flag: 'TRUE' }],
  ['items/{name:alpha:maxlength(3)}', 'items/abc', { name: 'abc' }],
  ['items/{name:alpha:maxlength(3)}', 'items/abcd', null],
  ['items/{n:range(1,5)}', 'items/6', null],
  ['items/{code:regex(^[a-z]{{2}}\\d$)}', 'items/ab1', { code: 'ab1' }],
  ['files/{*rest}', 'files/a/b%2Fc', { rest: 'a/b/c' }],
  ['files/{*rest}', 'files', {}],
  ['a/{x}/b/{y}', 'a/1/b/2', { x: '1', y: '2' }],
  ['items/{id}', 'items/%E0%A4%A', null],
])('%s matches %s as %j', (template, path, expected) => {
  expect(match(template, path)).toEqual(expected);
});

test('parameters must be whole segments', () => {
  expect(() => parseRouteTemplate('items/x{id}')).toThrow('whole segments');
  expect(() => parseRouteTemplate('items/{1bad}')).toThrow('invalid route parameter');
});
