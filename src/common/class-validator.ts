import type * as ClassValidator from 'class-validator';
import type { ValidationError, Validator, ValidatorOptions } from 'class-validator';

/**
 * The class-validator pieces the bridge uses, each from its own file. class-validator's index loads every one of
 * its decorators, and with them libphonenumber-js and all of validator.js: 276 of the 1,548 modules the serving
 * process loaded, about 2.6 MB of heap, for decorators it never uses. The types are class-validator's own.
 */
type Api = typeof ClassValidator;
const from = <K extends keyof Api>(file: string, name: K): Api[K] => require(`class-validator/cjs/${file}`)[name];

export type { ValidationError, ValidationOptions, ValidatorOptions } from 'class-validator';
export const ArrayMinSize = from('decorator/array/ArrayMinSize', 'ArrayMinSize');
export const IsIn = from('decorator/common/IsIn', 'IsIn');
export const IsOptional = from('decorator/common/IsOptional', 'IsOptional');
export const ValidateBy = from('decorator/common/ValidateBy', 'ValidateBy');
export const ValidateNested = from('decorator/common/ValidateNested', 'ValidateNested');
export const Max = from('decorator/number/Max', 'Max');
export const Min = from('decorator/number/Min', 'Min');
export const IsEmail = from('decorator/string/IsEmail', 'IsEmail');
export const IsUrl = from('decorator/string/IsUrl', 'IsUrl');
export const Matches = from('decorator/string/Matches', 'Matches');
export const MaxLength = from('decorator/string/MaxLength', 'MaxLength');
export const MinLength = from('decorator/string/MinLength', 'MinLength');
export const IsArray = from('decorator/typechecker/IsArray', 'IsArray');
export const IsBoolean = from('decorator/typechecker/IsBoolean', 'IsBoolean');
export const IsInt = from('decorator/typechecker/IsInt', 'IsInt');
export const IsObject = from('decorator/typechecker/IsObject', 'IsObject');
export const IsNumber = from('decorator/typechecker/IsNumber', 'IsNumber');
export const IsString = from('decorator/typechecker/IsString', 'IsString');
export const getMetadataStorage = from('metadata/MetadataStorage', 'getMetadataStorage');
export const ValidationTypes = from('validation/ValidationTypes', 'ValidationTypes');

/** What the index's `validate` / `validateSync` run: the one Validator of class-validator's container. */
const validator = (): Validator => from('container', 'getFromContainer')(from('validation/Validator', 'Validator'));
export const validate = (object: object, options?: ValidatorOptions): Promise<ValidationError[]> => validator().validate(object, options);
export const validateSync = (object: object, options?: ValidatorOptions): ValidationError[] => validator().validateSync(object, options);
