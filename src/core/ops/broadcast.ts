/**
 * TensorFlow's element-wise binary ops whose two inputs broadcast by numpy's rules (the cwise ops of
 * tensorflow/core/ops/math_ops.cc): one list for the engine's shape checks and the graph's shape inference.
 */
export const BROADCASTING_BINARY_OPS: readonly string[] = [
  "Add",
  "AddV2",
  "Sub",
  "Mul",
  "RealDiv",
  "Div",
  "DivNoNan",
  "FloorDiv",
  "FloorMod",
  "Maximum",
  "Minimum",
  "Pow",
  "SquaredDifference",
  "Equal",
  "NotEqual",
  "Less",
  "LessEqual",
  "Greater",
  "GreaterEqual",
  "LogicalAnd",
  "LogicalOr",
];
