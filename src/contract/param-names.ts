/**
 * Parameter names of a function, read from its source text. fabric-contract-api names transaction
 * parameters this way (with the `get-params` package); the names appear in the metadata and in
 * argument errors.
 */

function stripComments(src: string): string {
  return src.replace(/\/\*[\s\S]*?\*\//g, '').replace(/\/\/[^\n]*/g, '');
}

/** The text between the first `(` and its matching `)`, or undefined for `x => ...` forms. */
function parameterList(src: string): string | undefined {
  const open = src.indexOf('(');
  const arrow = src.indexOf('=>');
  if (open < 0 || (arrow >= 0 && arrow < open)) {
    const single = /^\s*(?:async\s+)?([A-Za-z_$][\w$]*)\s*=>/.exec(src);
    return single?.[1];
  }
  let depth = 0;
  for (let i = open; i < src.length; i++) {
    const c = src[i];
    if (c === '(' || c === '[' || c === '{') depth++;
    else if (c === ')' || c === ']' || c === '}') {
      depth--;
      if (depth === 0) return src.slice(open + 1, i);
    }
  }
  return undefined;
}

/** Splits on commas that are not nested in brackets or strings. */
function splitTopLevel(list: string): string[] {
  const parts: string[] = [];
  let depth = 0;
  let quote: string | undefined;
  let current = '';
  for (const c of list) {
    if (quote) {
      if (c === quote) quote = undefined;
    } else if (c === '"' || c === "'" || c === '`') quote = c;
    else if (c === '(' || c === '[' || c === '{') depth++;
    else if (c === ')' || c === ']' || c === '}') depth--;
    else if (c === ',' && depth === 0) {
      parts.push(current);
      current = '';
      continue;
    }
    current += c;
  }
  if (current.trim() !== '') parts.push(current);
  return parts;
}

/**
 * The declared parameter names of `fn`, in order. A destructured parameter is named `argN`
 * (N its position) since it has no single name; a rest parameter keeps its name.
 */
export function parameterNames(fn: (...args: never[]) => unknown): string[] {
  const list = parameterList(stripComments(Function.prototype.toString.call(fn)));
  if (list === undefined) return [];
  return splitTopLevel(list).map((part, index) => {
    const name = /^\s*(?:\.\.\.)?\s*([A-Za-z_$][\w$]*)/.exec(part);
    return name?.[1] ?? `arg${index}`;
  });
}

/**
 * The parameter names fabric-contract-api reads (the `get-params` package, kept exactly): the
 * words between the first `(` and the first `)`, comments removed, split at spaces and commas. A
 * rest parameter is `...rest`; defaults and destructuring split into odd words, as there. Names
 * of legacy-decorated transactions come from here so the metadata matches fabric-contract-api's.
 */
export function officialParameterNames(fn: (...args: never[]) => unknown): string[] {
  const src = Function.prototype.toString.call(fn).replace(/((\/\/.*$)|(\/\*[\s\S]*?\*\/))/gm, '');
  return src.slice(src.indexOf('(') + 1, src.indexOf(')')).match(/([^\s,]+)/g) ?? [];
}
