// Validates a stream of Kubernetes objects (YAML, as `kubectl kustomize` prints them) against the
// Kubernetes OpenAPI schemas that the npm package kubernetes-models compiles into validators
// (and @kubernetes-models/prometheus-operator for ServiceMonitor / PodMonitor). Offline: the
// schemas travel in the packages. Prints one line per object; exits 1 if any object is invalid
// or of a kind no schema describes.
//   kubectl kustomize <folder> | node eng/k8s/validate.mjs
import { readFileSync } from 'node:fs';
import { parseAllDocuments } from 'yaml';

const text = readFileSync(0, 'utf8');
let failures = 0;
let count = 0;
for (const document of parseAllDocuments(text)) {
  if (document.errors.length > 0) {
    console.log(`invalid YAML: ${document.errors[0].message}`);
    failures++;
    continue;
  }
  const object = document.toJS();
  if (object === null) continue;
  count++;
  const { apiVersion = '', kind = '' } = object;
  const name = `${kind}/${object.metadata?.name ?? '?'}`;
  const [group, version] = apiVersion.includes('/') ? apiVersion.split('/') : ['', apiVersion];
  const module = group === 'monitoring.coreos.com'
    ? `@kubernetes-models/prometheus-operator/${group}/${version}/${kind}`
    : `kubernetes-models/${group === '' ? '' : group + '/'}${version}/${kind}`;
  let Model;
  try {
    Model = (await import(module))[kind];
  } catch {
    console.log(`${name}: no schema for ${apiVersion} ${kind}`);
    failures++;
    continue;
  }
  try {
    new Model(object).validate();
    console.log(`${name}: valid (${apiVersion})`);
  } catch (error) {
    console.log(`${name}: INVALID: ${error.message}`);
    failures++;
  }
}
if (count === 0) {
  console.log('no objects');
  failures++;
}
process.exit(failures === 0 ? 0 : 1);
