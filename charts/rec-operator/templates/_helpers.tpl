{{/* Objects are named after the release; install it as `rec-operator` for the names the docs use. */}}
{{- define "rec-operator.fullname" -}}
{{ .Release.Name }}
{{- end }}

{{- define "rec-operator.labels" -}}
app.kubernetes.io/name: {{ .Chart.Name }}
app.kubernetes.io/instance: {{ .Release.Name }}
app.kubernetes.io/version: {{ .Chart.AppVersion | quote }}
app.kubernetes.io/component: operator
app.kubernetes.io/managed-by: {{ .Release.Service }}
helm.sh/chart: {{ .Chart.Name }}-{{ .Chart.Version }}
{{- end }}

{{/* The selector: only labels that never change across upgrades (a Deployment's selector is immutable). */}}
{{- define "rec-operator.selectorLabels" -}}
app.kubernetes.io/name: {{ .Chart.Name }}
app.kubernetes.io/instance: {{ .Release.Name }}
{{- end }}
