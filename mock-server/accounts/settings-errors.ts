/**
 * Why a change of account settings (email, password, 2FA) was refused. A closed union of codes, each with its
 * HTTP status, so the settings pages render a readable message and tests can assert the code.
 */
import { refusalClass } from '../errors';
export type SettingsErrorCode =
  | 'reauthentication_required'
  | 'wrong_password'
  | 'invalid_email'
  | 'same_email'
  | 'email_taken'
  | 'weak_password'
  | 'passwords_differ'
  | 'invalid_code'
  | 'two_factor_already_on'
  | 'two_factor_off'
  | 'enrolment_expired'
  | 'link_invalid'
  | 'link_used'
  | 'link_expired'
  | 'link_other_user';

const STATUS: Record<SettingsErrorCode, 400 | 403 | 409> = {
  reauthentication_required: 403,
  wrong_password: 403,
  invalid_email: 400,
  same_email: 400,
  email_taken: 409,
  weak_password: 400,
  passwords_differ: 400,
  invalid_code: 400,
  two_factor_already_on: 409,
  two_factor_off: 409,
  enrolment_expired: 400,
  link_invalid: 400,
  link_used: 400,
  link_expired: 400,
  link_other_user: 403,
};

export class SettingsError extends refusalClass('SettingsError', STATUS) {}
