/**
 * Errors crossing a thread or process boundary. Structured clone keeps only `message` and `stack`
 * of an `Error` (it drops `name` of subclasses, `code` and every other own property), so errors
 * are flattened to plain data on the worker side and revived on the main side.
 *
 * @internal
 */

/** An error as plain, always-cloneable data. */
export interface SerializedError {
  /** `error.name`, or `'Error'` for thrown non-errors. */
  readonly name: string;
  /** `error.message`, or `String(thrown)` for thrown non-errors. */
  readonly message: string;
  /** The stack captured where the error was created, if any. */
  readonly stack: string | undefined;
  /** Own enumerable properties whose values are primitives (`code`, `errno`, …). */
  readonly props: Readonly<Record<string, string | number | boolean | null>>;
  /** The `cause`, flattened the same way (one level deep is kept). */
  readonly cause: SerializedError | undefined;
}

/** Flattens anything thrown into a {@link SerializedError}. */
export function serializeError(thrown: unknown, depth = 0): SerializedError {
  if (!(thrown instanceof Error)) {
    return {
      name: 'Error',
      message: describe(thrown),
      stack: undefined,
      props: {},
      cause: undefined,
    };
  }
  const props: Record<string, string | number | boolean | null> = {};
  for (const key of Object.keys(thrown)) {
    if (key === 'name' || key === 'message' || key === 'stack' || key === 'cause') continue;
    const value = (thrown as unknown as Record<string, unknown>)[key];
    if (
      value === null ||
      typeof value === 'string' ||
      typeof value === 'number' ||
      typeof value === 'boolean'
    ) {
      props[key] = value;
    }
  }
  const cause =
    depth < 1 && thrown.cause !== undefined ? serializeError(thrown.cause, depth + 1) : undefined;
  return {
    name: safeString(thrown.name, 'Error'),
    message: safeString(thrown.message, ''),
    stack: typeof thrown.stack === 'string' ? thrown.stack : undefined,
    props,
    cause,
  };
}

/** Rebuilds an `Error` from a {@link SerializedError}: same name, message, stack and properties. */
export function reviveError(data: SerializedError): Error {
  const options = data.cause === undefined ? undefined : { cause: reviveError(data.cause) };
  const error = new Error(data.message, options);
  Object.defineProperty(error, 'name', {
    value: data.name,
    configurable: true,
    writable: true,
    enumerable: false,
  });
  if (data.stack !== undefined) {
    Object.defineProperty(error, 'stack', {
      value: data.stack,
      configurable: true,
      writable: true,
      enumerable: false,
    });
  }
  Object.assign(error, data.props);
  return error;
}

function describe(value: unknown): string {
  if (typeof value === 'string') return value;
  try {
    return String(value);
  } catch {
    return Object.prototype.toString.call(value);
  }
}

function safeString(value: unknown, fallback: string): string {
  return typeof value === 'string' ? value : fallback;
}
