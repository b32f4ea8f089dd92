/**
 * What SCIM resources share: `meta` (with `version`, which is also the ETag), list responses with paging, the
 * paging query parameters, and PATCH applied by scim-patch to a resource as a whole (so either every operation
 * applies or none does), after refusing operations on read-only attributes.
 */
import { NoTarget, ScimError as PatchLibraryError, type ScimPatchOperation, scimPatch } from 'scim-patch';
import { ScimError } from './scim-errors';
import { type PatchOperation, SCHEMAS } from './scim-schemas';

/** The most resources one list page returns (ServiceProviderConfig says so too). */
export const MAX_PAGE_SIZE = 200;
const DEFAULT_PAGE_SIZE = 100;

export interface Paging {
  filter: string | undefined;
  /** 1-based. */
  startIndex: number;
  count: number;
}

export interface ListPage<Resource> {
  schemas: string[];
  totalResults: number;
  startIndex: number;
  itemsPerPage: number;
  Resources: Resource[];
}

/** `W/"<version>"`: the resource's weak ETag and its `meta.version`. */
export const etag = (version: number) => `W/"${version}"`;

export function scimMeta(
  resourceType: 'User' | 'Group',
  location: string,
  row: { created_at: number; updated_at: number | null; version: number },
) {
  return {
    resourceType,
    created: new Date(row.created_at).toISOString(),
    lastModified: new Date(row.updated_at ?? row.created_at).toISOString(),
    version: etag(row.version),
    location,
  };
}

export function listResponse<Resource>(
  resources: Resource[],
  { total, startIndex }: { total: number; startIndex: number },
) {
  return {
    schemas: [SCHEMAS.listResponse],
    totalResults: total,
    startIndex,
    itemsPerPage: resources.length,
    Resources: resources,
  } satisfies ListPage<Resource>;
}

function whole(name: string, text: string | undefined, fallback: number): number {
  if (text === undefined || text === '') return fallback;
  if (!/^-?\d{1,9}$/.test(text)) throw new ScimError('invalidValue', `${name} must be a whole number.`);
  return Number(text);
}

/** `filter`, `startIndex` (below 1 counts as 1) and `count` (negative counts as 0; at most MAX_PAGE_SIZE). */
export function pagingFrom(query: (name: string) => string | undefined): Paging {
  const startIndex = Math.max(1, whole('startIndex', query('startIndex'), 1));
  const count = Math.min(MAX_PAGE_SIZE, Math.max(0, whole('count', query('count'), DEFAULT_PAGE_SIZE)));
  return { filter: query('filter') || undefined, startIndex, count };
}

/** The first attribute a PATCH path names (`emails[type eq "work"].value` → `emails`), lower-cased. */
function rootAttribute(path: string): string {
  // A path may start with its schema URN (`urn:ietf:params:scim:schemas:core:2.0:User:userName`).
  const bracket = path.indexOf('[');
  const head = bracket < 0 ? path : path.slice(0, bracket);
  const attribute = head.toLowerCase().startsWith('urn:') ? head.slice(head.lastIndexOf(':') + 1) : head;
  return (/^[^.]+/.exec(attribute)?.[0] ?? '').toLowerCase();
}

/**
 * Names that lead from an object to its prototype rather than to an attribute. scim-patch follows a path's names as
 * property names, so `__proto__.x` or `constructor.prototype.x` would write into Object.prototype, shared by the
 * whole process; no SCIM attribute has these names, so they are refused wherever they appear.
 */
const PROTOTYPE_NAMES = new Set(['__proto__', 'prototype', 'constructor']);

/** The first prototype name among a path's attribute names (quoted filter values are text, not names). */
function prototypeNameInPath(path: string): string | undefined {
  const names = path.replace(/"(?:[^"\\]|\\.)*"/g, '""').split(/[^\w$]+/);
  return names.find((name) => PROTOTYPE_NAMES.has(name.toLowerCase()));
}

/**
 * The first prototype name in the keys of `value`, at any depth, read as paths (Entra's keys are paths); walked
 * without recursion, so no nesting can exhaust the stack.
 */
function prototypeNameInValue(value: unknown): string | undefined {
  const pending = [value];
  while (pending.length) {
    const next = pending.pop();
    if (next === null || typeof next !== 'object') continue;
    for (const [key, inner] of Object.entries(next)) {
      const found = prototypeNameInPath(key);
      if (found) return found;
      pending.push(inner);
    }
  }
  return undefined;
}

const isPlainObject = (value: unknown): value is Record<string, unknown> =>
  value !== null && typeof value === 'object' && !Array.isArray(value);

/**
 * Microsoft Entra sends `{"op":"Replace","value":{"name.givenName":"…","active":"False"}}`: a value object without
 * a path whose keys are themselves paths. Each such key becomes an operation of its own. So does each sub-attribute
 * of a complex attribute in the value (`{"name":{"formatted":"…"}}` is `name.formatted`): RFC 7644 §3.5.2 leaves
 * the sub-attributes it does not name unchanged, where scim-patch would replace `name` whole.
 */
function expandPathKeys(operation: PatchOperation): PatchOperation[] {
  const { value } = operation;
  if (operation.path || !isPlainObject(value)) return [operation];
  const isPath = (key: string) => /[.[]/.test(key);
  const entries = Object.entries(value).flatMap(([key, inner]): [string, unknown][] =>
    !isPath(key) && isPlainObject(inner)
      ? Object.entries(inner).map(([sub, part]) => [`${key}.${sub}`, part])
      : [[key, inner]],
  );
  if (!entries.some(([key]) => isPath(key))) return [operation];
  const plain = entries.filter(([key]) => !isPath(key));
  return [
    ...(plain.length ? [{ op: operation.op, value: Object.fromEntries(plain) }] : []),
    ...entries.filter(([key]) => isPath(key)).map(([path, inner]) => ({ op: operation.op, path, value: inner })),
  ];
}

/** The resource with `operations` applied; a read-only attribute in any operation refuses them all. */
export function applyPatch<Resource extends object>(
  resource: Resource,
  operations: PatchOperation[],
  { readOnly }: { readOnly: string[] },
): Resource {
  for (const operation of operations) {
    const inPath = operation.path === undefined ? undefined : prototypeNameInPath(operation.path);
    if (inPath) throw new ScimError('invalidPath', `"${inPath}" is not an attribute.`);
    const inValue = prototypeNameInValue(operation.value);
    if (inValue) throw new ScimError('invalidValue', `"${inValue}" is not an attribute.`);
  }
  const expanded = operations.flatMap(expandPathKeys);
  for (const operation of expanded) {
    const targets = operation.path
      ? [rootAttribute(operation.path)]
      : operation.value && typeof operation.value === 'object'
        ? Object.keys(operation.value).map((key) => key.toLowerCase())
        : [];
    const refused = targets.find((target) => readOnly.includes(target));
    if (refused) throw new ScimError('mutability', `The attribute "${refused}" is read-only.`);
    if (!operation.path && (operation.value === null || typeof operation.value !== 'object')) {
      throw new ScimError('invalidValue', 'An operation without a path needs an object value.');
    }
  }
  try {
    // scim-patch wants `meta` dates; our resources carry ISO strings, which it does not touch.
    return scimPatch(resource as never, expanded as ScimPatchOperation[], {
      mutateDocument: false,
      treatMissingAsAdd: true,
    }) as Resource;
  } catch (error) {
    if (error instanceof NoTarget) throw new ScimError('noTarget', error.message, { cause: error });
    if (error instanceof PatchLibraryError) throw new ScimError('invalidPath', error.message, { cause: error });
    throw new ScimError('invalidPath', 'The operation could not be applied to this resource.', { cause: error });
  }
}
