/**
 * SCIM filters (RFC 7644 §3.4.2.2) as SQL: scim2-parse-filter parses the expression; this file maps each
 * attribute the world keeps to its column and each operator to SQL, so a filter like `userName eq "…"` is one
 * indexed lookup however many users the organization has. Anything unparseable or naming an attribute we do not
 * filter on is a 400 `invalidFilter`.
 */
import { type Filter, parse } from 'scim2-parse-filter';
import { ScimError } from './scim-errors';

/** A column a filter attribute maps to, and how its values compare. */
export interface FilterColumn {
  sql: string;
  kind: 'text' | 'caseExactText' | 'boolean' | 'time';
  /** Normalises a compared value (e.g. emails are stored lower-case). */
  normalise?: (value: string) => string;
}

export interface FilterAttributes {
  /** Lower-case attribute path → column. */
  columns: Record<string, FilterColumn>;
  /** Lower-case multi-valued attribute → its sub-attributes (`emails[type eq "work"]`). */
  valuePaths?: Record<string, Record<string, FilterColumn | { constant: string | boolean }>>;
}

export interface SqlFilter {
  where: string;
  params: (string | number)[];
}

/** Longest filter accepted (the parser is recursive; nobody sends more). */
const MAX_FILTER_LENGTH = 2048;
const MAX_DEPTH = 32;

export function parseFilter(text: string): Filter {
  if (text.length > MAX_FILTER_LENGTH) throw new ScimError('invalidFilter', 'The filter is too long.');
  try {
    return parse(text);
  } catch (cause) {
    throw new ScimError('invalidFilter', `The filter is not valid SCIM filter syntax: ${text}`, { cause });
  }
}

const likeEscape = (text: string) => text.replace(/[\\%_]/g, (char) => `\\${char}`);
const globEscape = (text: string) => text.replace(/[*?[]/g, (char) => `[${char}]`);

function compare(column: FilterColumn, op: string, raw: unknown, params: (string | number)[]): string {
  if (op === 'pr') return `${column.sql} IS NOT NULL`;
  if (column.kind === 'boolean') {
    const value = typeof raw === 'string' ? raw.toLowerCase() : raw;
    if (value !== true && value !== false && value !== 'true' && value !== 'false') {
      throw new ScimError('invalidFilter', 'A boolean attribute compares with true or false.');
    }
    if (op !== 'eq' && op !== 'ne') throw new ScimError('invalidFilter', `A boolean attribute has no "${op}".`);
    params.push(value === true || value === 'true' ? 1 : 0);
    return `${column.sql} ${op === 'eq' ? '=' : '<>'} ?`;
  }
  if (column.kind === 'time') {
    const ms = typeof raw === 'string' ? Date.parse(raw) : Number.NaN;
    if (Number.isNaN(ms)) throw new ScimError('invalidFilter', 'A date attribute compares with an ISO 8601 time.');
    const sqlOp = { eq: '=', ne: '<>', gt: '>', ge: '>=', lt: '<', le: '<=' }[op];
    if (!sqlOp) throw new ScimError('invalidFilter', `A date attribute has no "${op}".`);
    params.push(ms);
    return `${column.sql} ${sqlOp} ?`;
  }
  if (typeof raw !== 'string') throw new ScimError('invalidFilter', 'A text attribute compares with a string.');
  const value = column.normalise ? column.normalise(raw) : raw;
  const exact = column.kind === 'caseExactText';
  const collate = exact ? '' : ' COLLATE NOCASE';
  switch (op) {
    case 'eq':
    case 'ne':
    case 'gt':
    case 'ge':
    case 'lt':
    case 'le':
      params.push(value);
      return `${column.sql}${collate} ${{ eq: '=', ne: '<>', gt: '>', ge: '>=', lt: '<', le: '<=' }[op]} ?`;
    case 'co':
    case 'sw':
    case 'ew': {
      // LIKE ignores ASCII case; GLOB (with its wildcards escaped) keeps it for case-exact attributes.
      const [escaped, any, operator] = exact
        ? [globEscape(value), '*', 'GLOB ?']
        : [likeEscape(value), '%', "LIKE ? ESCAPE '\\'"];
      params.push(`${op === 'sw' ? '' : any}${escaped}${op === 'ew' ? '' : any}`);
      return `${column.sql} ${operator}`;
    }
    default:
      throw new ScimError('invalidFilter', `The operator "${op}" is not supported.`);
  }
}

/**
 * An attribute path without its schema URN: RFC 7644 §3.10 lets a client name an attribute fully qualified
 * (`urn:ietf:params:scim:schemas:core:2.0:User:userName`), as PATCH paths may. Only the core User and Group
 * schemas are this world's; an extension's attributes are not kept, so they stay unsupported.
 */
const CORE_SCHEMA_URN = /^urn:ietf:params:scim:schemas:core:2\.0:(?:User|Group):/i;
const attributeKey = (path: string) => path.replace(CORE_SCHEMA_URN, '').toLowerCase();

/** The entry for `path` in a lookup table: its own keys only (`constructor` is no attribute). */
function entry<T>(table: Record<string, T> | undefined, path: string): T | undefined {
  const key = attributeKey(path);
  return table && Object.hasOwn(table, key) ? table[key] : undefined;
}

function column(attributes: FilterAttributes, path: string): FilterColumn {
  const found = entry(attributes.columns, path);
  if (!found) throw new ScimError('invalidFilter', `Filtering on "${path}" is not supported.`);
  return found;
}

function compile(filter: Filter, attributes: FilterAttributes, params: (string | number)[], depth: number): string {
  if (depth > MAX_DEPTH) throw new ScimError('invalidFilter', 'The filter is nested too deeply.');
  switch (filter.op) {
    case 'and':
    case 'or':
      return `(${filter.filters.map((inner) => compile(inner, attributes, params, depth + 1)).join(` ${filter.op.toUpperCase()} `)})`;
    case 'not':
      return `NOT (${compile(filter.filter, attributes, params, depth + 1)})`;
    case '[]': {
      const subAttributes = entry(attributes.valuePaths, filter.attrPath);
      if (!subAttributes)
        throw new ScimError('invalidFilter', `Filtering inside "${filter.attrPath}" is not supported.`);
      return compile(filter.valFilter, { columns: subColumns(subAttributes) }, params, depth + 1);
    }
    default:
      return compare(
        column(attributes, filter.attrPath),
        filter.op,
        'compValue' in filter ? filter.compValue : null,
        params,
      );
  }
}

/** Sub-attributes of a value path as columns; a constant (every email is the primary work email) is SQL literal. */
function subColumns(
  subAttributes: Record<string, FilterColumn | { constant: string | boolean }>,
): Record<string, FilterColumn> {
  return Object.fromEntries(
    Object.entries(subAttributes).map(([name, target]) => {
      if (!('constant' in target)) return [name, target];
      const literal =
        typeof target.constant === 'boolean'
          ? String(target.constant ? 1 : 0)
          : `'${target.constant.replace(/'/g, "''")}'`;
      const kind: FilterColumn['kind'] = typeof target.constant === 'boolean' ? 'boolean' : 'text';
      return [name, { sql: literal, kind }];
    }),
  ) as Record<string, FilterColumn>;
}

/** The SQL condition (and its parameters) for a SCIM filter over `attributes`. */
export function filterToSql(text: string, attributes: FilterAttributes): SqlFilter {
  const params: (string | number)[] = [];
  const where = compile(parseFilter(text), attributes, params, 0);
  return { where, params };
}
