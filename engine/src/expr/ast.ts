// The syntax tree. Every node carries its span in the template string (for error positions
// and for naming the failing path in messages) and its height (bounded by LIMITS.maxDepth,
// so the recursive evaluator cannot run out of stack).
type Span = { readonly start: number; readonly end: number; readonly height: number };

export type LiteralNode = Span & { readonly type: 'Literal'; readonly value: string | number | boolean | null };
export type IdentifierNode = Span & { readonly type: 'Identifier'; readonly name: string };
export type ArrayNode = Span & { readonly type: 'Array'; readonly elements: readonly Expr[] };
export type ObjectNode = Span & {
  readonly type: 'Object';
  readonly entries: readonly { readonly key: string; readonly value: Expr }[];
};
/** `key` is set for `.name` and `["literal"]`; `property` for any other `[expr]`. */
export type MemberNode = Span & {
  readonly type: 'Member';
  readonly object: Expr;
  readonly key: string | null;
  readonly property: Expr | null;
  readonly optional: boolean;
};
/** A built-in call; a method call `x.trim()` is `trim(x)` with `method` set. */
export type CallNode = Span & {
  readonly type: 'Call';
  readonly name: string;
  readonly args: readonly Expr[];
  readonly method: boolean;
  readonly optional: boolean;
};
export type UnaryNode = Span & { readonly type: 'Unary'; readonly op: '!' | '-'; readonly arg: Expr };
export type BinaryOp = '+' | '-' | '*' | '/' | '%' | '==' | '!=' | '===' | '!==' | '<' | '<=' | '>' | '>=';
export type BinaryNode = Span & { readonly type: 'Binary'; readonly op: BinaryOp; readonly left: Expr; readonly right: Expr };
export type LogicalNode = Span & {
  readonly type: 'Logical';
  readonly op: '&&' | '||' | '??';
  readonly left: Expr;
  readonly right: Expr;
};
export type ConditionalNode = Span & {
  readonly type: 'Conditional';
  readonly test: Expr;
  readonly consequent: Expr;
  readonly alternate: Expr;
};

export type Expr =
  | LiteralNode
  | IdentifierNode
  | ArrayNode
  | ObjectNode
  | MemberNode
  | CallNode
  | UnaryNode
  | BinaryNode
  | LogicalNode
  | ConditionalNode;

/** Direct children, for walkers that do not evaluate. */
export function childrenOf(node: Expr): readonly Expr[] {
  switch (node.type) {
    case 'Literal':
    case 'Identifier':
      return [];
    case 'Array':
      return node.elements;
    case 'Object':
      return node.entries.map((e) => e.value);
    case 'Member':
      return node.property === null ? [node.object] : [node.object, node.property];
    case 'Call':
      return node.args;
    case 'Unary':
      return [node.arg];
    case 'Binary':
    case 'Logical':
      return [node.left, node.right];
    case 'Conditional':
      return [node.test, node.consequent, node.alternate];
  }
}

/** Calls `visit` on every node, parents first. */
export function visitAst(node: Expr, visit: (node: Expr) => void): void {
  visit(node);
  for (const child of childrenOf(node)) visitAst(child, visit);
}
