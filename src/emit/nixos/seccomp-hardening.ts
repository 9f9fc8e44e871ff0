/**
 * Hardening that gives a service no namespace of its own (seccomp filters, no_new_privs,
 * personality lock; systemd.exec(5)), so it suits jobs and FUSE mounts alike: a mount made
 * inside a private mount namespace would be invisible to the rest of the system.
 */
import { bind, bool, list, str, type AttrEntry } from '../../print/nix/ast.js';

export function seccompHardening(syscallSets: readonly string[]): AttrEntry[] {
  return [
    bind('NoNewPrivileges', bool(true)),
    bind('RestrictNamespaces', bool(true)),
    bind('RestrictRealtime', bool(true)),
    bind('LockPersonality', bool(true)),
    // Every tool a job or mount runs (bash, rsync, tar, zstd, rclone in Go) works without
    // writable-executable memory.
    bind('MemoryDenyWriteExecute', bool(true)),
    bind('SystemCallArchitectures', str('native')),
    bind('SystemCallFilter', list(syscallSets.map(str))),
    // EPERM instead of SIGSYS: a tool probing an optional syscall falls back instead of dying.
    bind('SystemCallErrorNumber', str('EPERM')),
  ];
}
