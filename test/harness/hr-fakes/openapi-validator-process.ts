/**
 * Validates HTTP requests against a vendor's OpenAPI document with openapi-backend (routing, then
 * `validateRequest`), in a child process: openapi-backend loads its reference parser as an ES module,
 * which the test runner's CommonJS module system cannot load, while a plain Node process can.
 *
 * `OpenApiValidator.start(specPath)` forks this file; `validate(request)` answers the operation the
 * request matched (null: no such path or method in the document), whether it is valid, the validator's
 * errors, and the path parameters and query as the document's styles parse them (deepObject and all).
 */
import { fork, type ChildProcess } from 'node:child_process';

export interface ValidationRequest {
  readonly method: string;
  readonly path: string;
  /** The raw query string, without `?`. */
  readonly query: string;
  readonly headers: Readonly<Record<string, string>>;
  /** The parsed JSON body, for operations that take one. */
  readonly body?: unknown;
}

export interface ValidationAnswer {
  readonly operationId: string | null;
  readonly valid: boolean;
  readonly errors: string | null;
  readonly params: Record<string, string>;
  readonly query: Record<string, unknown>;
}

type Reply = { readonly id: number; readonly answer: ValidationAnswer };

export class OpenApiValidator {
  private nextId = 0;
  private readonly pending = new Map<number, (answer: ValidationAnswer) => void>();

  private constructor(private readonly child: ChildProcess) {
    child.on('message', (message: Reply) => {
      this.pending.get(message.id)?.(message.answer);
      this.pending.delete(message.id);
    });
  }

  static async start(specPath: string): Promise<OpenApiValidator> {
    const child = fork(__filename, [specPath], {
      execArgv: ['--import', 'tsx'],
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    });
    await new Promise<void>((resolve, reject) => {
      child.once('message', () => resolve());
      child.once('exit', (code) => reject(new Error(`the OpenAPI validator exited (${code}) before it was ready`)));
    });
    child.removeAllListeners('exit');
    return new OpenApiValidator(child);
  }

  validate(request: ValidationRequest): Promise<ValidationAnswer> {
    const id = this.nextId++;
    return new Promise((resolve) => {
      this.pending.set(id, resolve);
      this.child.send({ id, request });
    });
  }

  async stop(): Promise<void> {
    if (this.child.exitCode !== null) return;
    const exited = new Promise((resolve) => this.child.once('exit', resolve));
    this.child.disconnect();
    await exited;
  }
}

/** ISO 8601 date-time as the documents mean `format: date-time` (ajv has no formats by default). */
function isDateTime(value: string): boolean {
  return (
    /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/.test(value) && !Number.isNaN(Date.parse(value))
  );
}

/**
 * The document with an id on every operation (`get /people/search` where it names none, as HiBob's
 * generated document does): openapi-backend looks validators up by operation id.
 */
function withOperationIds<Document extends { paths?: object }>(document: Document): Document {
  const copy = structuredClone(document);
  for (const [path, item] of Object.entries(copy.paths ?? {}) as [string, Record<string, unknown>][]) {
    for (const [method, operation] of Object.entries(item)) {
      if (
        typeof operation === 'object' &&
        operation !== null &&
        !('operationId' in operation) &&
        method !== 'parameters'
      )
        (operation as { operationId?: string }).operationId = `${method} ${path}`;
    }
  }
  return copy;
}

async function serve(specPath: string): Promise<void> {
  const { OpenAPIBackend } = await import('openapi-backend');
  const parsed = new OpenAPIBackend({ definition: specPath, quick: true });
  await parsed.loadDocument();
  const api = new OpenAPIBackend({
    definition: withOperationIds(parsed.document),
    quick: true,
    customizeAjv: (ajv) => ajv.addFormat('date-time', isDateTime),
  });
  await api.init();
  process.on('message', ({ id, request }: { id: number; request: ValidationRequest }) => {
    const openApiRequest = { ...request, headers: { ...request.headers } };
    const operation = api.router.matchOperation(openApiRequest);
    let answer: ValidationAnswer = { operationId: null, valid: false, errors: null, params: {}, query: {} };
    if (operation) {
      const result = api.validator.validateRequest(openApiRequest, operation);
      const parsed = api.router.parseRequest(openApiRequest, operation);
      answer = {
        operationId: operation.operationId ?? null,
        valid: result.valid,
        errors: result.valid ? null : JSON.stringify(result.errors),
        params: parsed.params,
        query: parsed.query as Record<string, unknown>,
      };
    }
    process.send!({ id, answer } satisfies Reply);
  });
  process.on('disconnect', () => process.exit(0));
  process.send!({ ready: true });
}

if (require.main === module) {
  serve(process.argv[2]!).catch((error: unknown) => {
    console.error(error);
    process.exit(1);
  });
}
