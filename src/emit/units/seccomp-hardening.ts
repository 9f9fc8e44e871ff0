/**
 * Hardening that gives a service no namespace of its own (seccomp filters, no_new_privs,
 * personality lock; systemd.exec(5)), so it suits jobs and FUSE mounts alike: a mount made
 * inside a private mount namespace would be invisible to the rest of the system.
 */
import type { Directive } from './unit.js';

export function seccompHardening(syscallSets: readonly string[]): Directive[] {
  return [
    ['NoNewPrivileges', true],
    ['RestrictNamespaces', true],
    ['RestrictRealtime', true],
    ['LockPersonality', true],
    // Every tool a job or mount runs (bash, rsync, tar, zstd, rclone in Go) works without
    // writable-executable memory.
    ['MemoryDenyWriteExecute', true],
    ['SystemCallArchitectures', 'native'],
    ['SystemCallFilter', [...syscallSets]],
    // EPERM instead of SIGSYS: a tool probing an optional syscall falls back instead of dying.
    ['SystemCallErrorNumber', 'EPERM'],
  ];
}
