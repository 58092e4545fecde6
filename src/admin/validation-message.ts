import { ValidationError } from '../common/class-validator';

/**
 * One reason per refused field: the rule written first on it (the type: "ids must be an array"), not every rule that
 * failed after it ("each value in ids must not be less than 1; … must be an integer number; …"). class-validator
 * lists a field's failed rules from the last written to the first.
 */
export function validationMessage(errors: readonly ValidationError[]): string {
  const reasons: string[] = [];
  const walk = (list: readonly ValidationError[]) => {
    for (const error of list) {
      const failed = Object.values(error.constraints ?? {});
      if (failed.length) reasons.push(failed[failed.length - 1]);
      if (error.children?.length) walk(error.children);
    }
  };
  walk(errors);
  return reasons.join('; ');
}
