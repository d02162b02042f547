# syntax=docker/dockerfile:1
# Bootstrap model image for Kubernetes: one checkpoint folder (manifest.json + weights.bin, see docs/models.md) in a
# small image that the model silos' init container copies into a volume (deploy/k8s/base/model-silo.yaml). A silo
# publishes it only while the cluster has no model at all; after that, silos download the cluster's current version.
# Build context: the models folder (the repository's .dockerignore keeps models out of the silo and client images).
#   docker build -f deploy/models.Dockerfile -t enrichment-models:demo models/
#   docker build -f deploy/models.Dockerfile --build-arg Checkpoint=my-run -t enrichment-models:my-run models/
FROM busybox:1.37
ARG Checkpoint=demo
LABEL org.opencontainers.image.title="enrichment-models" enrichment.checkpoint="${Checkpoint}"
COPY ${Checkpoint}/ /models/bootstrap/
