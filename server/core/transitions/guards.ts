/** The conditions shared by phase and activity transitions, each as a {@link Guard}. */
import type { ActivityState, InstanceSnapshot, PhaseState, Timestamp } from './snapshot';
import { findPhase, userLabel } from './snapshot';
import type { Actor, Guard } from './types';

const pass = (id: string, message: string): Guard => ({ id, result: 'pass', message });
const fail = (id: string, message: string): Guard => ({ id, result: 'fail', message });

/** The target is in one of the statuses the action starts from. */
export function statusGuard(subject: string, status: string, from: readonly string[], verb: string): Guard {
  return from.includes(status)
    ? pass('status', `${subject} is ${status}`)
    : fail('status', `${subject} is ${status}; only ${from.join(' or ')} can ${verb}`);
}

/** A reason was given. */
export function reasonGuard(reason: string | null | undefined, what: string): Guard {
  return reason && reason.trim() !== ''
    ? pass('reason', `a reason is given: "${reason.trim()}"`)
    : fail('reason', `${what} needs a reason (--reason)`);
}

const uncheckedWhy = (actor: Actor) => actor.uncheckedReason ?? 'users have no role column';

function actorText(actor: Actor): string {
  return actor.role ? `${actor.name} is \`${actor.role}\`` : `${actor.name} has no role`;
}

/** The actor holds `role` (or is an admin); reported as not checked when roles are not known. */
export function roleGuard(actor: Actor, role: string | null, what: string): Guard {
  if (role === null) return pass('role', `${what} names no role: anyone may do it`);
  if (!actor.rolesChecked) return { id: 'role', result: 'unchecked', message: `role not checked: ${what} is for \`${role}\`, but ${uncheckedWhy(actor)}` };
  if (actor.id === null) return fail('role', `${what} is for \`${role}\`; no acting user was given (--as)`);
  if (actor.role === role) return pass('role', `${actor.name} is \`${role}\`, as ${what} requires`);
  if (actor.role === 'admin') return pass('role', `${actor.name} is \`admin\` (may do anything); ${what} is for \`${role}\``);
  return fail('role', `${what} is for \`${role}\`; ${actorText(actor)}`);
}

/** The actor holds one of `roles`; reported as not checked when roles are not known. */
export function anyRoleGuard(actor: Actor, roles: readonly string[], what: string): Guard {
  const list = roles.map((r) => `\`${r}\``).join(' or ');
  if (!actor.rolesChecked) return { id: 'role', result: 'unchecked', message: `role not checked: ${what} needs ${list}, but ${uncheckedWhy(actor)}` };
  if (actor.id === null) return fail('role', `${what} needs ${list}; no acting user was given (--as)`);
  if (actor.role !== null && roles.includes(actor.role)) return pass('role', `${actor.name} is \`${actor.role}\`, as ${what} requires`);
  return fail('role', `${what} needs ${list}; ${actorText(actor)}`);
}

/** One guard per `depends_on` phase: each must be COMPLETED or SKIPPED. */
export function dependencyGuards(snapshot: InstanceSnapshot, phase: PhaseState): Guard[] {
  return phase.dependsOn.map((name) => {
    const dep = findPhase(snapshot, name);
    if (!dep) return fail('depends-on', `${phase.name}: depends on \`${name}\`, which this instance does not have`);
    const text = `${phase.name}: depends on \`${name}\`, which is ${dep.status}`;
    return dep.status === 'COMPLETED' || dep.status === 'SKIPPED' ? pass('depends-on', text) : fail('depends-on', text);
  });
}

/**
 * One guard per activity for completing `phase`: a required activity must be
 * COMPLETED, an optional one COMPLETED or SKIPPED. `except` is left out (the COMPLETE
 * activity whose completion is what completes the phase).
 */
export function completionGuards(phase: PhaseState, except?: ActivityState): Guard[] {
  return phase.activities
    .filter((a) => a !== except)
    .map((a) => {
      const kind = a.required ? 'required' : 'optional';
      const done = a.status === 'COMPLETED' || (!a.required && a.status === 'SKIPPED');
      const hint = done ? '' : a.required ? ' (it must be COMPLETED)' : ' (complete or skip it)';
      const text = `${phase.name}: ${kind} activity \`${a.name}\` is ${a.status}${hint}`;
      return done ? pass(`${kind}-activity`, text) : fail(`${kind}-activity`, text);
    });
}

/** The phase an activity belongs to is IN_PROGRESS. */
export function phaseInProgressGuard(phase: PhaseState): Guard {
  const text = `phase ${phase.name} is ${phase.status}`;
  return phase.status === 'IN_PROGRESS' ? pass('phase-in-progress', text) : fail('phase-in-progress', `${text}; activities move only while it is IN_PROGRESS`);
}

/** The phases that list `phase` in their `depends_on`. */
export function dependents(snapshot: InstanceSnapshot, phase: PhaseState): PhaseState[] {
  return snapshot.phases.filter((p) => p.dependsOn.includes(phase.name));
}

/** "started by alice at 2026-11-26T14:20:01.5Z" for the current state of a phase or activity. */
export function whoDidIt(snapshot: InstanceSnapshot, state: PhaseState | ActivityState): string {
  const [by, at] = state.status === 'COMPLETED' ? [state.completedBy, state.completedAt] : [state.startedBy, state.startedAt];
  if (at === null && by === null) return '';
  const verb = state.status === 'COMPLETED' ? 'completed' : 'started';
  return ` (${verb} by ${userLabel(snapshot, by)}${at ? ` at ${zoned(at)}` : ''})`;
}

const ZONELESS_ISO = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(?:\.\d+)?$/;

/**
 * A timestamp as a sentence shows it: the database keeps UTC without a zone (every session is
 * pinned to UTC), so a zoneless ISO time gets its `Z`; anything else is shown as given.
 */
export function zoned(at: Timestamp): string {
  return ZONELESS_ISO.test(at) ? `${at}Z` : at;
}
