/**
 * The published OpenAPI document describes exactly the routes the app registers (API_ROUTES): same paths,
 * (API_ROUTES and INGEST_ROUTES): same paths, same methods, every one documenting 401; and every error
 * response points at the RFC 9457 schema (the SCIM route's at the SCIM error schema).
 */
import { controlPlaneOpenApi } from '../../../functions/http/openapi';
import { API_ROUTES, INGEST_ROUTES } from '../../../functions/http/register-http-api';

type Operation = { operationId: string; responses: Record<string, { content?: Record<string, unknown> }> };
const doc = controlPlaneOpenApi() as { paths: Record<string, Record<string, Operation>> };

const documented = Object.entries(doc.paths)
  .flatMap(([path, ops]) =>
    Object.entries(ops).map(([method, op]) => `${method.toUpperCase()} /${path.slice(1)} ${op.operationId}`),
  )
  .sort();
const registered = [...API_ROUTES, ...INGEST_ROUTES]
  .map(([name, method, route]) => `${method} /${route} ${name}`)
  .sort();

describe('control-plane OpenAPI document', () => {
  it('lists exactly the registered routes, methods and names', () => {
    expect(documented).toEqual(registered);
  });

  const operations = Object.entries(doc.paths).flatMap(([path, ops]) =>
    Object.entries(ops).map(([m, op]): [string, Operation] => [`${m} ${path}`, op]),
  );
  it.each(operations)('%s documents 401 and problem details for its errors', (_name: string, op: Operation) => {
    expect(op.responses['401']).toBeDefined();
    for (const [status, response] of Object.entries(op.responses))
      if (Number(status) >= 400 && status !== '401')
        expect(Object.keys(response.content ?? {})).toEqual([
          op.operationId === 'scim-bulk-upload' ? 'application/scim+json' : 'application/problem+json',
        ]);
  });
});
