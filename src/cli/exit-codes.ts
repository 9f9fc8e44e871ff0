/**
 * Exit statuses. 1 is reserved for "the check found differences" so CI can tell a stale
 * output from a broken config (2, like a usage error) and from a bug in backupgen
 * (70, EX_SOFTWARE in sysexits.h).
 */
export const EXIT_OK = 0;
export const EXIT_STALE = 1;
/** `plan --strict`: the 3-2-1 analysis found warnings (same status as a stale output: CI fails). */
export const EXIT_WARNINGS = 1;
export const EXIT_USER_ERROR = 2;
export const EXIT_BUG = 70;
