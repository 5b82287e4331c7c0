/** The selector label of every hardened workload: its name, stable whatever the construct tree. */
export const NAME_LABEL = 'app.kubernetes.io/name';
