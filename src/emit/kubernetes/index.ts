/**
 * The kubernetes target: for each `kind: kubernetes` host, `hosts/<host>/kubernetes/` with
 * what `kubectl apply -k` needs: a ConfigMap holding the runtime library and the job scripts
 * (the very text the scripts target renders for other hosts), a CronJob per job chain, the
 * state claim and a kustomization.yaml; beside them, the Containerfile of the default image
 * and create-secrets.sh for the one Secret, which backupgen names but never writes.
 */
import { stringify } from 'yaml';
import type { HostPlan, KubernetesHostPlan, Plan } from '../../plan/model.js';
import { generatedHeader } from '../header.js';
import { renderJobScript } from '../scripts/job-script.js';
import { renderRuntimeLibrary } from '../scripts/runtime-library.js';
import type { GeneratedFile } from '../types.js';
import { renderContainerfile } from './containerfile.js';
import { CREATE_SECRETS_FILE, renderCreateSecrets } from './create-secrets.js';
import { cronJob } from './cron-job.js';
import { BASE_LABELS, jobChains, kubernetesDir, RUNTIME_KEY, SCRIPTS_CONFIG_MAP, scriptKey } from './layout.js';

/** The state claim's size: status files, locks and rclone configs are a few KiB per job. */
const STATE_CLAIM_SIZE = '64Mi';

export function emitKubernetes(plan: Plan): GeneratedFile[] {
  return plan.hosts.flatMap((host) => (host.kubernetes === undefined || host.jobs.length === 0 ? [] : hostFiles(plan, host, host.kubernetes)));
}

function hostFiles(plan: Plan, host: HostPlan, k8s: KubernetesHostPlan): GeneratedFile[] {
  const dir = kubernetesDir(host.name);
  const yaml = (name: string, document: object): GeneratedFile => ({
    path: `${dir}/${name}`,
    // lineWidth 0: no folding, so the scripts stay byte-for-byte what they are; no aliases
    // (&a1/*a1) for objects used twice: plain YAML reads better and every tool takes it.
    contents: `${generatedHeader('#', plan.sourceFile)}\n${stringify(document, { lineWidth: 0, aliasDuplicateObjects: false })}`,
  });
  const resources: GeneratedFile[] = [yaml('configmap.yaml', configMap(plan, host, k8s))];
  if (k8s.stateClaim.emitted) resources.push(yaml('state-pvc.yaml', stateClaim(k8s)));
  for (const chain of jobChains(host)) resources.push(yaml(`cronjob-${chain[0]!.name}.yaml`, cronJob(k8s, chain)));
  const kustomization = yaml('kustomization.yaml', {
    apiVersion: 'kustomize.config.k8s.io/v1beta1',
    kind: 'Kustomization',
    resources: resources.map((file) => file.path.slice(dir.length + 1)),
  });
  const extras: GeneratedFile[] = [{ path: `${dir}/Containerfile`, contents: renderContainerfile(plan, host, k8s.runAsUser) }];
  if (host.secrets.length > 0) extras.push({ path: `${dir}/${CREATE_SECRETS_FILE}`, contents: renderCreateSecrets(plan, host, k8s), executable: true });
  return [...resources, kustomization, ...extras];
}

/** The runtime library and every job script, as the scripts target renders them. */
function configMap(plan: Plan, host: HostPlan, k8s: KubernetesHostPlan): object {
  const data: Record<string, string> = { [RUNTIME_KEY]: renderRuntimeLibrary(plan) };
  for (const job of host.jobs) data[scriptKey(job)] = renderJobScript(plan, host, job).text;
  return {
    apiVersion: 'v1',
    kind: 'ConfigMap',
    metadata: { name: SCRIPTS_CONFIG_MAP, namespace: k8s.namespace, labels: BASE_LABELS },
    data,
  };
}

function stateClaim(k8s: KubernetesHostPlan): object {
  return {
    apiVersion: 'v1',
    kind: 'PersistentVolumeClaim',
    metadata: { name: k8s.stateClaim.name, namespace: k8s.namespace, labels: BASE_LABELS },
    spec: { accessModes: ['ReadWriteOnce'], resources: { requests: { storage: STATE_CLAIM_SIZE } } },
  };
}


