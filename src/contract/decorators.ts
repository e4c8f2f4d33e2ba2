/**
 * fabric-contract-api's decorators: `@Transaction`, `@Returns`, `@Param`, `@Object`,
 * `@Property`, `@Info`, `@Default`.
 *
 * Each works both as a legacy decorator (`experimentalDecorators` + `emitDecoratorMetadata`, how
 * existing contracts are compiled: types come from `design:paramtypes`/`design:type`) and as a
 * standard TC39 decorator (TypeScript 5 default: no type information is emitted, so parameter and
 * property types must be given in `@Transaction({ parameters })`, `@Param` or `@Property`).
 */
import 'reflect-metadata';
import { type ClassDecls, type ParamDecl, type TransactionDecl, legacyDecls, registerObjectType, standardDecls } from './declarations';
import { type TypeSpec, schemaOf } from './type-schema';

/** Options of `@Transaction` beyond fabric-contract-api's single `commit` flag. */
export interface TransactionOptions {
  /** `true` (default): a submit transaction (tags SUBMIT, submitTx); `false`: evaluate only. */
  commit?: boolean;
  /**
   * The types of the parameters after the context, in order. Needed with standard decorators,
   * which carry no type information; with legacy decorators they override `design:paramtypes`.
   */
  parameters?: TypeSpec[];
  /** The return type, as `@Returns` would give it. */
  returns?: TypeSpec;
}

/** Information about a contract shown in its metadata (`@Info`). */
export interface ContractInfo {
  title?: string;
  description?: string;
  version?: string;
  name?: string;
  contact?: { name?: string; url?: string; email?: string };
  license?: { name: string; url?: string };
  [key: string]: unknown;
}

type AnyFunction = (...args: never[]) => unknown;
type AnyClass = abstract new (...args: never[]) => unknown;

/** A decorator for a transaction method, usable in both decorator modes. */
export type MethodDecorator = ((target: object, propertyKey: string | symbol, descriptor?: PropertyDescriptor) => void) &
  ((value: AnyFunction, context: ClassMethodDecoratorContext) => void);
/** A decorator for a property of an `@Object` class, usable in both decorator modes. */
export type PropertyDecorator = ((target: object, propertyKey: string | symbol) => void) &
  ((value: undefined, context: ClassFieldDecoratorContext | ClassAccessorDecoratorContext | ClassGetterDecoratorContext) => void);
/** A class decorator usable in both decorator modes. */
export type ClassDecorator = (<C extends AnyClass>(target: C) => void) &
  (<C extends AnyClass>(value: C, context: ClassDecoratorContext) => void);

function isStandardContext(x: unknown): x is DecoratorContext {
  return typeof x === 'object' && x !== null && typeof (x as { kind?: unknown }).kind === 'string';
}

function memberName(name: string | symbol, isPrivate: boolean, what: string): string {
  if (typeof name !== 'string' || isPrivate) throw new Error(`${what} needs a public member with a string name, not ${String(name)}`);
  return name;
}

function transactionDecl(decls: ClassDecls, name: string, fn: unknown, standard: boolean): TransactionDecl {
  let decl = decls.transactions.get(name);
  if (!decl) {
    if (typeof fn !== 'function') throw new Error(`@Transaction applied to ${name}, which is not a method`);
    decl = { name, fn: fn as AnyFunction, params: [], standard, keyOrder: [] };
    decls.transactions.set(name, decl);
  }
  return decl;
}

/** Applies `update` to the transaction record of a decorated method, in either decorator mode. */
function noteKeys(decl: TransactionDecl, keys: TransactionDecl['keyOrder']): void {
  for (const k of keys) if (!decl.keyOrder.includes(k)) decl.keyOrder.push(k);
  if (!decl.keyOrder.includes('name')) decl.keyOrder.push('name');
}

function methodDecorator(
  what: string,
  update: (decl: TransactionDecl, designTarget?: { target: object; key: string }) => void,
): MethodDecorator {
  return ((a: object | AnyFunction, b: string | symbol | ClassMethodDecoratorContext) => {
    if (isStandardContext(b)) {
      if (b.kind !== 'method' || b.static) throw new Error(`${what} applies to instance methods only`);
      const name = memberName(b.name, b.private, what);
      update(transactionDecl(standardDecls(b.metadata, what), name, a, true));
    } else {
      const target = a as Record<string, unknown>;
      const name = memberName(b, false, what);
      update(transactionDecl(legacyDecls(target.constructor as object), name, target[name], false), { target, key: name });
    }
  }) as MethodDecorator;
}

/**
 * Marks a method as a transaction function. `commit` false marks it evaluate-only (tag EVALUATE);
 * an options object may also give parameter and return types (needed with standard decorators).
 */
export function Transaction(commit: boolean | TransactionOptions = true): MethodDecorator {
  const opts: TransactionOptions = typeof commit === 'boolean' ? { commit } : commit;
  return methodDecorator('@Transaction', (decl, design) => {
    noteKeys(decl, ['tag', 'parameters']);
    decl.commit = opts.commit ?? true;
    if (opts.parameters) decl.parameterTypes = [...opts.parameters];
    if (opts.returns !== undefined) {
      noteKeys(decl, ['returns']);
      decl.returns = schemaOf(opts.returns);
    }
    if (design) {
      const types: unknown = Reflect.getMetadata('design:paramtypes', design.target, design.key);
      if (Array.isArray(types)) decl.designParamTypes = types;
    }
  });
}

/** Declares the return type of a transaction function (e.g. `'Asset'`, `'string'`, `'Asset[]'`). */
export function Returns(returnType: TypeSpec): MethodDecorator {
  return methodDecorator('@Returns', (decl) => {
    noteKeys(decl, ['returns']);
    decl.returns = schemaOf(returnType);
  });
}

/** Declares the type (and description) of a named parameter of a transaction function. */
export function Param(paramName: string, paramType: TypeSpec, description?: string): MethodDecorator {
  return methodDecorator('@Param', (decl) => {
    noteKeys(decl, ['parameters']);
    const param: ParamDecl = { name: paramName, description: description ?? '', schema: schemaOf(paramType) };
    const existing = decl.params.findIndex((p) => p.name === paramName);
    if (existing >= 0) {
      param.appended = decl.params[existing]?.appended === true || decl.commit !== undefined;
      decl.params[existing] = param;
    } else {
      if (decl.commit !== undefined) param.appended = true;
      decl.params.push(param);
    }
  });
}

/**
 * Declares a property of an `@Object` type. Without both a name and a type (as in
 * fabric-contract-api), the property key is the name and `design:type` the type; with standard
 * decorators the type must be given.
 */
export function Property(name?: string, type?: TypeSpec): PropertyDecorator {
  return ((a: unknown, b: string | symbol | DecoratorContext) => {
    if (isStandardContext(b)) {
      if (b.kind !== 'field' && b.kind !== 'accessor' && b.kind !== 'getter')
        throw new Error('@Property applies to fields and accessors only');
      const key = memberName(b.name, b.private, '@Property');
      if (type === undefined)
        throw new Error(
          `@Property on ${key}: give the type, e.g. @Property('${key}', 'string'); standard decorators carry no type information`,
        );
      standardDecls(b.metadata, '@Property').properties.set(name ?? key, schemaOf(type, false));
    } else {
      const target = a as { constructor: object };
      const key = memberName(b, false, '@Property');
      let propName = name;
      let propType = type;
      if (!propName || propType === undefined) {
        // fabric-contract-api ignores a lone name and falls back to the key and the emitted type.
        propName = key;
        const design: unknown = Reflect.getMetadata('design:type', target as object, key);
        if (design === undefined)
          throw new Error(`@Property on ${key}: no type given and no design:type emitted (enable emitDecoratorMetadata)`);
        propType = typeof design === 'function' ? (design as AnyFunction) : String(design);
      }
      legacyDecls(target.constructor).properties.set(propName, schemaOf(propType, false));
    }
  }) as PropertyDecorator;
}

function classDecorator(what: string, update: (ctor: AnyClass, decls: ClassDecls) => void): ClassDecorator {
  return ((value: AnyClass, context?: ClassDecoratorContext) => {
    if (isStandardContext(context)) {
      if (context.kind !== 'class') throw new Error(`${what} applies to classes only`);
      update(value, standardDecls(context.metadata, what));
    } else {
      update(value, legacyDecls(value));
    }
  }) as ClassDecorator;
}

/**
 * Declares a class as a data type usable as a parameter or return type; it appears in the
 * metadata's `components.schemas`. `discriminator` names the property that tells subtypes apart.
 */
export function DataObject(opts?: { discriminator?: string }): ClassDecorator {
  return classDecorator('@Object', (ctor, decls) => {
    decls.object = opts?.discriminator === undefined ? {} : { discriminator: opts.discriminator };
    registerObjectType(ctor);
  });
}

/** Information about the contract (title, description, version, contact, license) for its metadata. */
export function Info(info: ContractInfo = {}): ClassDecorator {
  return classDecorator('@Info', (ctor, decls) => {
    // fabric-contract-api defaults `name` to the class name and `version` to ''.
    decls.info = { ...info, name: info.name || ctor.name, version: info.version || '' };
  });
}

/** Makes this contract the one that bare transaction names (without `Contract:`) are routed to. */
export function Default(): ClassDecorator {
  return classDecorator('@Default', (_ctor, decls) => {
    decls.isDefault = true;
  });
}
