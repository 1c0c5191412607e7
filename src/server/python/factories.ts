/**
 * Model factories: top-level functions of the file that return a Keras model (`model = build_model()`).
 *
 * What the caller's model carries comes from the factory's body: the custom classes it instantiates
 * (layers of the model), and the functions it hands to Keras — layer arguments (`activation=swish`) and
 * the compile() loss/metrics (`model.compile(loss=dice_loss)` inside the factory), including functions
 * defined inside the factory itself (Keras saves them by `__name__` like any other).
 */
import { args, dotted, field, text, walk, type PyNode } from "./ast.js";
import { kerasPublic, resolve } from "./imports.js";
import { argumentItems, parameterNames, returnedFunction, type FileContext } from "./context.js";
import { functionalCall, type CustomClass } from "./classes.js";
import type { FunctionRef } from "./flow-state.js";

export const LAYER_FN_KEYWORDS = /^(activation|recurrent_activation|\w+_(initializer|regularizer|constraint))$/;
export const COMPILE_FN_KEYWORDS = new Set(["loss", "metrics", "weighted_metrics"]);
export const KERAS_MODEL_CTORS =
  /^keras\.(Sequential|Model|models\.(Sequential|Model|load_model|model_from_json|model_from_config|model_from_yaml|clone_model)|saving\.load_model|applications\.[\w.]+)$/;

export interface Factory {
  /** The returned model is built by a Keras constructor (else: a name the factory compiles or fits). */
  readonly kerasBuilt: boolean;
  /** Custom classes of the file instantiated in the body. */
  readonly classes: readonly string[];
  /** Functions handed to Keras in the body: layer arguments and compile() arguments. */
  readonly functions: readonly FunctionRef[];
  /** The custom model class every return is an instance of (`model = UNet(...)` ... `return model`). */
  readonly cls?: CustomClass;
  /** Every return is this parameter (`def compile_model(model, args): model.compile(...); return model`). */
  readonly param?: number;
}

/**
 * Names of the functions a Keras argument value refers to: file functions (not shadowed by an import),
 * functions defined in the enclosing factory (`local`), and `focal_loss(gamma=2.0)` factories, whose
 * returned inner function is what Keras saves.
 */
export function functionNames(ctx: FileContext, v: PyNode | undefined, local: ReadonlySet<string> = new Set()): string[] {
  if (!v) return [];
  const out: string[] = [];
  for (const it of argumentItems(ctx, v)) {
    const returned = it.type === "call" ? returnedFunction(ctx, field(it, "function")) : undefined;
    if (returned) out.push(text(returned));
    else if (it.type === "identifier" && local.has(text(it))) out.push(text(it));
    else if (it.type === "identifier" && ctx.functions.has(text(it)) && !ctx.bindings.names.has(text(it))) out.push(text(it));
  }
  return out;
}

/** `m.compile(opt, loss, metrics=[...])`: the function names among its loss/metric arguments. */
export function compileFunctionNames(ctx: FileContext, call: PyNode, local?: ReadonlySet<string>): string[] {
  const a = args(call);
  return [
    ...functionNames(ctx, a.positional[1], local),
    ...[...COMPILE_FN_KEYWORDS].flatMap((k) => functionNames(ctx, a.keywords.get(k), local)),
  ];
}

export function isCompileCall(call: PyNode): boolean {
  const fn = field(call, "function");
  return fn?.type === "attribute" && text(field(fn, "attribute")!) === "compile";
}

const isCtor = (ctx: FileContext, n: PyNode | undefined): boolean => {
  if (n?.type !== "call") return false;
  const r = resolve(ctx.bindings, field(n, "function"));
  return r !== undefined && KERAS_MODEL_CTORS.test(kerasPublic(r));
};

/**
 * The factory `def` (a top-level function, or a method called as `self.name(...)`), when every return is a Keras
 * model; `param` counts the call's positional arguments (a method's `self` is not one).
 */
export function modelFactory(
  ctx: FileContext,
  def: PyNode | undefined,
  classOf: (callee: PyNode) => CustomClass | undefined,
): Factory | undefined {
  const body = def ? field(def, "body") : undefined;
  if (!body) return undefined;
  const ctorNames = new Set<string>();
  const instances = new Map<string, CustomClass>();
  const compiledNames = new Set<string>();
  const local = new Set<string>();
  const returned: PyNode[] = [];
  const calls: PyNode[] = [];
  walk(body, (n) => {
    if (n.type === "function_definition") local.add(text(field(n, "name")!));
    if (n.type === "function_definition" || n.type === "class_definition" || n.type === "lambda") return false;
    const left = n.type === "assignment" ? field(n, "left") : undefined;
    const right = left?.type === "identifier" ? field(n, "right") : undefined;
    if (right && isCtor(ctx, right)) ctorNames.add(text(left!));
    const made = right?.type === "call" ? classOf(field(right, "function")!) : undefined;
    if (made && functionalCall(made, right!, ctx.classes)) ctorNames.add(text(left!));
    else if (made?.kind === "model") instances.set(text(left!), made);
    if (n.type === "call") {
      calls.push(n);
      const fn = field(n, "function");
      const obj = fn?.type === "attribute" ? field(fn, "object") : undefined;
      if (obj?.type === "identifier" && /^(compile|fit)$/.test(text(field(fn!, "attribute")!))) compiledNames.add(text(obj));
    }
    const value = n.type === "return_statement" ? n.children[n.children.length - 1] : undefined;
    if (value) returned.push(value);
    return true;
  });
  const byCtor = (v: PyNode): boolean => isCtor(ctx, v) || (v.type === "identifier" && ctorNames.has(text(v)));
  const byCompile = (v: PyNode): boolean => v.type === "identifier" && compiledNames.has(text(v));
  const instanceOf = (v: PyNode): CustomClass | undefined => (v.type === "identifier" ? instances.get(text(v)) : undefined);
  const params = parameterNames(def!);
  if (params[0] === "self" || params[0] === "cls") params.shift(); // a method's receiver is no call argument
  const paramAt = (v: PyNode): number => (v.type === "identifier" ? params.indexOf(text(v)) : -1);
  const cls = returned.length > 0 ? instanceOf(returned[0]!) : undefined;
  const sameInstance = cls !== undefined && returned.every((v) => instanceOf(v) === cls);
  const param = returned.length > 0 ? paramAt(returned[0]!) : -1;
  const sameParam = param >= 0 && returned.every((v) => paramAt(v) === param);
  if (returned.length === 0 || !(sameInstance || sameParam || returned.every((v) => byCtor(v) || byCompile(v)))) return undefined;
  const classes: string[] = [];
  const functions: FunctionRef[] = [];
  for (const c of calls) {
    const f = dotted(field(c, "function"));
    if (f && ctx.classes.has(f)) classes.push(f);
    if (isCompileCall(c)) for (const n of compileFunctionNames(ctx, c, local)) functions.push({ name: n, role: "compile" });
    for (const [k, v] of args(c).keywords)
      if (LAYER_FN_KEYWORDS.test(k)) for (const n of functionNames(ctx, v, local)) functions.push({ name: n, role: "layer" });
  }
  return {
    kerasBuilt: returned.every(byCtor),
    classes,
    functions,
    ...(sameInstance ? { cls } : {}),
    ...(sameParam ? { param } : {}),
  };
}
