/**
 * Stable diagnostic codes. Numbers never change meaning; retired codes are not reused.
 *   1xx  saving a model that Keras cannot save (or saves without call functions)
 *   2xx  custom objects (registration, custom_objects, get_config)
 *   3xx  cross-checks with a SavedModel on disk
 */
export const Codes = {
  /** Subclassed model/layer saved on a path where it was never called or trained. */
  UnbuiltSave: "SMS101",
  /** Built only through `build(shape)`: no input signature recorded for export. */
  BuildOnlySave: "SMS102",
  /** Keras 3 `save()` to a path without `.keras` (or `.h5`). */
  Keras3SaveExtension: "SMS103",
  /** HDF5 (`.h5`) saving of a subclassed model. */
  H5Subclassed: "SMS104",
  /** Model called on `Input(shape=...)`: a placeholder left by the build quick fix, not a shape. */
  PlaceholderInputShape: "SMS105",
  /** Custom class used by a model saved and loaded in this file, neither registered nor passed to load_model. */
  UnprovidedCustomClass: "SMS201",
  /** `custom_objects` key that never matches the name Keras saved. */
  CustomObjectsKeyMismatch: "SMS202",
  /** `@register_keras_serializable` without parentheses. */
  BareRegisterDecorator: "SMS203",
  /** Custom class whose `__init__` takes arguments but that defines no `get_config`. */
  MissingGetConfig: "SMS204",
  /** `load_model` of a SavedModel in the workspace whose custom classes are not provided. */
  DiskUnprovidedClasses: "SMS301",
  /** Keras 3 `load_model` on a SavedModel directory. */
  Keras3LoadSavedModel: "SMS302",
} as const;

export type Code = (typeof Codes)[keyof typeof Codes];

/** LSP DiagnosticSeverity values (kept numeric so the rules need no LSP runtime import). */
export const Severity = { Error: 1, Warning: 2, Information: 3, Hint: 4 } as const;
export type SeverityValue = (typeof Severity)[keyof typeof Severity];

export const SOURCE = "savedmodel-studio";
