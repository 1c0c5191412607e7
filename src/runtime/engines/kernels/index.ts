/**
 * Kernel tables kept outside kernels.ts (one file per family). Registered after kernels.ts's own
 * entries, so an op listed here replaces the older kernel (the regex ops moved to re2js this way).
 */
import { CONTROL_KERNELS } from "./control.js";
import { DECODE_KERNELS } from "./decode.js";
import { EXAMPLE_KERNELS } from "./example.js";
import { FORMAT_KERNELS } from "./format.js";
import { IMAGE_KERNELS } from "./images.js";
import { LIST_KERNELS } from "./lists.js";
import { RAGGED_KERNELS } from "./ragged.js";
import { RANDOM_KERNELS } from "./random.js";
import { REDUCTION_KERNELS } from "./reductions.js";
import { SET_KERNELS } from "./sets.js";
import { STRING_KERNELS } from "./strings.js";
import { TABLE_KERNELS } from "./tables.js";
import { TENSOR_ARRAY_KERNELS } from "./tensorarrays.js";
import { UNICODE_KERNELS } from "./unicode.js";
import { VARIABLE_KERNELS } from "./variables.js";
import type { KernelTable } from "./util.js";

export const MORE_KERNELS: KernelTable = [
  ...EXAMPLE_KERNELS,
  ...TABLE_KERNELS,
  ...VARIABLE_KERNELS,
  ...IMAGE_KERNELS,
  ...REDUCTION_KERNELS,
  ...STRING_KERNELS,
  ...RANDOM_KERNELS,
  ...RAGGED_KERNELS,
  ...DECODE_KERNELS,
  ...CONTROL_KERNELS,
  ...SET_KERNELS,
  ...LIST_KERNELS,
  ...TENSOR_ARRAY_KERNELS,
  ...UNICODE_KERNELS,
  ...FORMAT_KERNELS,
];
