import type { FormInstance } from 'antd';
import type { TFunction } from 'i18next';

import { formFieldErrors, isApiError } from '../api/problem';
import { describeError } from './errors';

/**
 * Put a problem's field errors onto the matching form fields.
 * Returns true when at least one field was marked, so the caller can skip a general message.
 */
export function applyProblemToForm<T>(form: FormInstance<T>, error: unknown): boolean {
  if (!isApiError(error)) return false;
  const known = new Set(
    Object.keys(form.getFieldsValue(true) as Record<string, unknown>),
  );
  const fields = formFieldErrors(error.problem).filter((field) => known.has(String(field.name[0])));
  if (fields.length === 0) return false;
  form.setFields(fields.map((field) => ({ name: field.name as never, errors: field.errors })));
  return true;
}

/**
 * A failed save of a form: its field errors go onto the fields (then null), anything else comes back as one line
 * for the form's general error ("title: detail").
 */
export function formErrorText<T>(t: TFunction, form: FormInstance<T>, error: unknown): string | null {
  if (applyProblemToForm(form, error)) return null;
  const { title, detail } = describeError(t, error);
  return detail ? `${title}: ${detail}` : title;
}
