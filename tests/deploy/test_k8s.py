#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""The Kubernetes manifests, offline: each document has the fields its kind
requires (a structural subset of the API's schema), and the references
between them hold: selectors match the pod labels, the StatefulSet's
serviceName is a headless Service, every mount has a volume and every volume
a ConfigMap, Secret or claim, RBAC names the pods the StatefulSet makes, the
networks annotation names defined networks, kustomization lists every file.
The per-pod ids-control files are the example pair's plus the notify lines,
and pass ids-control -T; idsd.yaml passes idsd -T."""
import os
import re
import shutil

import yaml

from deploylib import Check, DEPLOY, IDSD, IDS_CONTROL, SRC, pki_paths, run, server_pki, tmpdir

c = Check("deploy_k8s")
K8S = os.path.join(DEPLOY, "k8s")
NAME = re.compile(r"^[a-z0-9]([-a-z0-9]*[a-z0-9])?$")   # RFC 1123 label

# kind -> (apiVersion, required paths); a path is dot-separated
SCHEMA = {
    "Namespace": ("v1", ["metadata.name"]),
    "ServiceAccount": ("v1", ["metadata.name", "metadata.namespace"]),
    "Role": ("rbac.authorization.k8s.io/v1", ["metadata.name", "rules"]),
    "RoleBinding": ("rbac.authorization.k8s.io/v1",
                    ["metadata.name", "roleRef.apiGroup", "roleRef.kind", "roleRef.name",
                     "subjects"]),
    "ConfigMap": ("v1", ["metadata.name", "data"]),
    "Service": ("v1", ["metadata.name", "spec.selector", "spec.ports"]),
    "StatefulSet": ("apps/v1", ["metadata.name", "spec.serviceName", "spec.replicas",
                                "spec.selector.matchLabels", "spec.template.metadata.labels",
                                "spec.template.spec.containers"]),
    "PodDisruptionBudget": ("policy/v1", ["metadata.name", "spec.selector"]),
    "NetworkAttachmentDefinition": ("k8s.cni.cncf.io/v1", ["metadata.name", "spec.config"]),
    "Kustomization": ("kustomize.config.k8s.io/v1beta1", ["resources"]),
}


def get(doc, path):
    for part in path.split("."):
        if not isinstance(doc, dict) or part not in doc:
            return None
        doc = doc[part]
    return doc


docs = []
files = sorted(f for f in os.listdir(K8S) if f.endswith(".yaml"))
for f in files:
    with open(os.path.join(K8S, f)) as fh:
        try:
            loaded = [d for d in yaml.safe_load_all(fh) if d is not None]
        except yaml.YAMLError as e:
            c.ok(False, "%s: %s" % (f, e))
            continue
    for d in loaded:
        docs.append((f, d))

by_kind = {}
for f, d in docs:
    kind = d.get("kind")
    if not c.ok(kind in SCHEMA, "%s: unknown or missing kind %r" % (f, kind)):
        continue
    api, required = SCHEMA[kind]
    c.eq(d.get("apiVersion"), api, "%s: %s apiVersion" % (f, kind))
    for p in required:
        c.ok(get(d, p) not in (None, "", [], {}), "%s: %s lacks %s" % (f, kind, p))
    name = get(d, "metadata.name")
    if name is not None:
        c.ok(NAME.match(name) and len(name) <= 63, "%s: bad name %r" % (f, name))
    if kind not in ("Namespace", "Kustomization"):
        c.eq(get(d, "metadata.namespace"), "ids", "%s: %s %s namespace" % (f, kind, name))
    by_kind.setdefault(kind, {})[name] = d


def one(kind, name):
    d = by_kind.get(kind, {}).get(name)
    c.ok(d is not None, "no %s named %s" % (kind, name))
    return d or {}


# kustomization: lists every manifest, and only those
kust = one("Kustomization", None)
c.eq(sorted(kust.get("resources", [])), sorted(f for f in files if f != "kustomization.yaml"),
     "kustomization resources")

sts = one("StatefulSet", "ids")
spec = sts.get("spec", {})
pod = get(spec, "template.spec") or {}
labels = get(spec, "template.metadata.labels") or {}
c.eq(spec.get("replicas"), 2, "StatefulSet replicas (the pair)")
c.ok(all(labels.get(k) == v for k, v in get(spec, "selector.matchLabels").items()),
     "StatefulSet selector does not match its pod labels")
# two nodes of the pair never share a server
anti = get(pod, "affinity.podAntiAffinity.requiredDuringSchedulingIgnoredDuringExecution")
c.ok(anti and anti[0].get("topologyKey") == "kubernetes.io/hostname",
     "no required anti-affinity on the host name")

# headless Service for the stable identities
svc = one("Service", spec.get("serviceName"))
c.eq(get(svc, "spec.clusterIP"), "None", "the StatefulSet's Service is not headless")
for name, s in by_kind.get("Service", {}).items():
    sel = get(s, "spec.selector") or {}
    c.ok(all(labels.get(k) == v for k, v in sel.items() if not k.startswith("ids.example.org/")),
         "Service %s selects no pod of the StatefulSet" % name)
    ports = {p.get("name") for ct in pod.get("containers", []) for p in ct.get("ports", [])}
    for p in get(s, "spec.ports") or []:
        c.ok(p.get("targetPort") in ports or isinstance(p.get("targetPort"), int),
             "Service %s targets unknown port %r" % (name, p.get("targetPort")))
pdb = one("PodDisruptionBudget", "ids")
c.ok(all(labels.get(k) == v for k, v in (get(pdb, "spec.selector.matchLabels") or {}).items()),
     "PodDisruptionBudget selects no pod")

# volumes and mounts
vols = {v["name"]: v for v in pod.get("volumes", [])}
claims = {get(t, "metadata.name") for t in spec.get("volumeClaimTemplates", [])}
for name, v in vols.items():
    if "configMap" in v:
        cm = one("ConfigMap", v["configMap"]["name"])
        for item in v["configMap"].get("items", []):
            c.ok(item["key"] in cm.get("data", {}), "ConfigMap key %s missing" % item["key"])
    elif "secret" in v:
        c.ok(v["secret"].get("secretName") in ("ids-tls", "ids-sasl"),
             "volume %s: unexpected secret" % name)
    else:
        c.ok("emptyDir" in v, "volume %s: no source" % name)
c.eq(sorted(v.get("secret", {}).get("secretName") for v in vols.values() if "secret" in v),
     ["ids-sasl", "ids-tls"], "TLS and SASL from Secrets")
c.ok(any(get(v, "emptyDir.medium") == "HugePages-1Gi" for v in vols.values()),
     "no hugepages volume")
for ct in pod.get("containers", []):
    for m in ct.get("volumeMounts", []):
        c.ok(m["name"] in vols or m["name"] in claims,
             "container %s mounts unknown volume %s" % (ct["name"], m["name"]))
    c.ok(ct.get("image"), "container %s has no image" % ct.get("name"))
    res = ct.get("resources", {})
    c.ok(res.get("requests") and res.get("limits"), "container %s: no resources" % ct["name"])
    sc = ct.get("securityContext", {})
    c.ok(not sc.get("privileged") and sc.get("allowPrivilegeEscalation") is False,
         "container %s: privileged or may escalate" % ct["name"])
    c.eq(get(sc, "capabilities.drop"), ["ALL"], "container %s drops all capabilities"
         % ct["name"])
containers = {ct["name"]: ct for ct in pod.get("containers", [])}
idsd_ct = containers.get("idsd", {})
lim = get(idsd_ct, "resources.limits") or {}
c.ok("hugepages-1Gi" in lim and any("sriov" in k for k in lim),
     "idsd: no hugepages or SR-IOV resource")
c.eq(get(idsd_ct, "resources.requests"), lim, "idsd requests == limits (Guaranteed QoS)")
c.ok("IPC_LOCK" in (get(idsd_ct, "securityContext.capabilities.add") or []),
     "idsd lacks IPC_LOCK (VFIO pins DMA memory)")
shared = [{m["name"] for m in ct.get("volumeMounts", []) if m["mountPath"] == "/run/dpdk"}
          for ct in containers.values()]
c.ok(len(shared) == 2 and shared[0] and shared[0] == shared[1],
     "idsd and ids-control do not share /run/dpdk (the telemetry socket)")

# networks named in the annotation exist
ann = get(spec, "template.metadata.annotations") or {}
for net in ann.get("k8s.v1.cni.cncf.io/networks", "").split(","):
    one("NetworkAttachmentDefinition", net.strip().split("@")[0])

# RBAC: the service account the pods use; the Role names exactly its pods
c.ok(pod.get("serviceAccountName") in by_kind.get("ServiceAccount", {}),
     "the pods' service account is not defined")
pods = ["%s-%d" % (get(sts, "metadata.name"), i) for i in range(spec.get("replicas", 0))]
for name, role in by_kind.get("Role", {}).items():
    for rule in role.get("rules", []):
        c.ok("*" not in rule.get("verbs", []) and "*" not in rule.get("resources", []),
             "Role %s has a wildcard" % name)
        c.ok(not set(rule.get("verbs", [])) - {"get", "patch"},
             "Role %s grants more than get/patch" % name)
        c.eq(sorted(rule.get("resourceNames", [])), pods, "Role %s resourceNames" % name)
for name, rb in by_kind.get("RoleBinding", {}).items():
    one(rb["roleRef"]["kind"], rb["roleRef"]["name"])
    for s in rb.get("subjects", []):
        c.ok(s.get("name") in by_kind.get("ServiceAccount", {}),
             "RoleBinding %s: unknown subject %s" % (name, s.get("name")))

# configuration: per-pod ids-control files = the example pair + notify lines
cm = one("ConfigMap", "ids-config").get("data", {})
ctl = containers.get("ids-control", {})
c.ok("/etc/ids/ha/$(POD_NAME).yaml" in ctl.get("command", []),
     "ids-control does not pick its file by pod name")
tmp = tmpdir("k8s")
pki = server_pki(tmp)
c.ok(pki is not None, "ids-pki (certtool) could not make a test PKI")
for podname, node in zip(pods, ("a", "b")):
    key = podname + ".yaml"
    if not c.ok(key in cm, "ids-config has no %s" % key):
        continue
    path = os.path.join(tmp, key)
    with open(path, "w") as fh:
        fh.write(pki_paths(cm[key], pki or "/nonexistent"))
    r = run([IDS_CONTROL, "-T", "-c", path])
    c.ok(r.returncode == 0, "ids-control -T on %s:\n%s" % (key, r.stdout))
    with open(os.path.join(DEPLOY, "pair", "node-" + node, "ids-control.yaml")) as fh:
        want = yaml.safe_load(fh)
    got = yaml.safe_load(cm[key])
    for inst in got["vrrp"]["instances"]:
        for k in ("notify_master", "notify_backup", "notify_fault"):
            c.ok(inst.pop(k, "").startswith("/usr/libexec/ids/ids-k8s-label"),
                 "%s: %s is not the pod labeller" % (key, k))
    c.eq(got, want, "%s differs from deploy/pair/node-%s beyond notify" % (key, node))
path = os.path.join(tmp, "idsd.yaml")
with open(path, "w") as fh:
    fh.write(cm.get("idsd.yaml", ""))
rules = os.path.join(SRC, "rules")
r = run([IDSD, "-T", "-c", path,
         "--set", "default-rule-path=" + os.path.join(DEPLOY, "conf"),
         "--set", "classification-file=" + os.path.join(rules, "classification.config"),
         "--set", "reference-config-file=" + os.path.join(rules, "reference.config")])
c.ok(r.returncode == 0, "idsd -T on the ConfigMap's idsd.yaml:\n" + r.stdout)
c.ok("local.rules" in one("ConfigMap", "ids-rules").get("data", {}), "no local.rules ConfigMap")
shutil.rmtree(tmp, ignore_errors=True)
c.done()
