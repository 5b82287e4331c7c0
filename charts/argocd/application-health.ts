/**
 * The health of an Argo CD Application, for Argo CD itself. Since Argo CD 1.8 an Application (the
 * `argoproj.io/Application` resource, as a child of another Application) has no health assessment
 * (argoproj/argo-cd v3.4.4 docs/operator-manual/health.md, "Argocd App"), so in an app-of-apps the
 * parent's sync waves do not wait for one child to be ready before the next starts. A custom health
 * check restores it: `resource.customizations.health.<group>_<kind>` in argocd-cm (same doc, "Way 1").
 *
 * The script runs with `obj` (the live Application) as a global, may use only the base, table and
 * package libraries and a reduced `os` (util/lua/lua.go runLuaWithResourceActionParameters: the
 * standard libraries are off unless `resource.customizations.useOpenLibs` says otherwise), and returns
 * a table with `status` (Healthy, Progressing, Degraded, Suspended, Missing or Unknown) and `message`.
 *
 * What it reports: the child's own aggregated health, `status.health.status`, with its message. Until the
 * child's controller has written one (just created, never reconciled) it is Progressing, so the
 * parent's wave waits. A parent ignores a child reporting Missing or Unknown (controller/health.go
 * setApplicationHealth), which is how a child without resources stays out of the parent's way.
 */
export const APPLICATION_HEALTH_KEY = 'resource.customizations.health.argoproj.io_Application';

export const APPLICATION_HEALTH_LUA = [
  'local result = { status = "Progressing", message = "waiting for the Application to report its health" }',
  'local health = obj.status and obj.status.health',
  'if health and health.status then',
  '  result.status = health.status',
  '  result.message = health.message or ""',
  'end',
  'return result',
  '',
].join('\n');
