import { ValidateBy, ValidationOptions } from './class-validator';
import { parseDuration, parseSize } from './units';

export function IsDuration(options?: ValidationOptions): PropertyDecorator {
  return ValidateBy(
    {
      name: 'isDuration',
      validator: {
        validate: (value) => parseDuration(value) !== undefined,
        defaultMessage: (args) => `${args?.property} must be a duration such as "500ms", "30s", "10m", "72h" or "7d"`,
      },
    },
    options,
  );
}

export function IsSize(options?: ValidationOptions): PropertyDecorator {
  return ValidateBy(
    {
      name: 'isSize',
      validator: {
        validate: (value) => parseSize(value) !== undefined,
        defaultMessage: (args) => `${args?.property} must be a size such as "512kb" or "1mb", or a number of bytes`,
      },
    },
    options,
  );
}

export function IsStringRecord(options?: ValidationOptions): PropertyDecorator {
  return ValidateBy(
    {
      name: 'isStringRecord',
      validator: {
        validate: (value) =>
          value !== null && typeof value === 'object' && !Array.isArray(value) &&
          Object.values(value).every((v) => typeof v === 'string'),
        defaultMessage: (args) => `${args?.property} must be a map of strings`,
      },
    },
    options,
  );
}

export function IsBooleanOrObject(options?: ValidationOptions): PropertyDecorator {
  return ValidateBy(
    {
      name: 'isBooleanOrObject',
      validator: {
        validate: (value) => typeof value === 'boolean' || (value !== null && typeof value === 'object' && !Array.isArray(value)),
        defaultMessage: (args) => `${args?.property} must be true, false or a map of TLS options`,
      },
    },
    options,
  );
}

export function IsEventList(options?: ValidationOptions): PropertyDecorator {
  return ValidateBy(
    {
      name: 'isEventList',
      validator: {
        validate: (value) => value === 'auto' || (Array.isArray(value) && value.length > 0 && value.every((v) => typeof v === 'string' && v.length > 0)),
        defaultMessage: (args) => `${args?.property} must be "auto" or a list of event names`,
      },
    },
    options,
  );
}

/** A template: a string, or a mapping/sequence whose string leaves are templates (serialised as JSON). */
export function IsBodyTemplate(options?: ValidationOptions): PropertyDecorator {
  return ValidateBy(
    {
      name: 'isBodyTemplate',
      validator: {
        validate: (value) => typeof value === 'string' || (value !== null && typeof value === 'object'),
        defaultMessage: (args) => `${args?.property} must be a template string, or a mapping or list whose strings are templates`,
      },
    },
    options,
  );
}

/**
 * A nested section must be a mapping: `@ValidateNested` alone lets a list through (`group: []` validates its
 * elements, none, and passes), and code reading the section's fields would then fail at run time.
 */
export function IsMapping(options?: ValidationOptions): PropertyDecorator {
  return ValidateBy(
    {
      name: 'isMapping',
      validator: {
        validate: (value) => value !== null && typeof value === 'object' && !Array.isArray(value),
        defaultMessage: (args) => `${args?.property} must be a mapping (key: value), not ${Array.isArray(args?.value) ? 'a list' : typeof args?.value}`,
      },
    },
    options,
  );
}
