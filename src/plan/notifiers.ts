/** Notifier names -> NotifierPlan, secrets resolved for the scope of the job that notifies. */
import type { NotifierConfig } from '../config/schema/notifiers.js';
import type { BackupgenConfig } from '../config/schema/config.js';
import type { NotifierPlan, SecretOrValue, SecretRef } from './model.js';
import { planSecret, type SecretScope } from './secrets.js';

export function planNotifier(config: BackupgenConfig, name: string, scope: SecretScope): NotifierPlan {
  const notifier: NotifierConfig | undefined = config.notifiers[name];
  if (notifier === undefined) throw new Error(`planner: unknown notifier \`${name}\` reached the planner`);
  const url = (value: string | { secret: string }): SecretOrValue =>
    typeof value === 'string' ? { kind: 'value', value } : { kind: 'secret', secret: planSecret(config.secrets, value.secret, scope) };
  switch (notifier.type) {
    case 'webhook':
      return { name, type: 'webhook', url: url(notifier.url), on: notifier.on };
    case 'healthchecks':
      return { name, type: 'healthchecks', url: url(notifier.url), on: notifier.on };
    case 'email':
      return { name, type: 'email', to: notifier.to, on: notifier.on };
    case 'desktop':
      return { name, type: 'desktop', on: notifier.on };
  }
}

export function notifierSecrets(notifier: NotifierPlan): SecretRef[] {
  return 'url' in notifier && notifier.url.kind === 'secret' ? [notifier.url.secret] : [];
}

/** Notifiers that reach out over the network (a desktop notification stays local). */
export function notifierNeedsNetwork(notifier: NotifierPlan): boolean {
  return notifier.type !== 'desktop';
}
