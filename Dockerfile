# The Bitbucket Pipe image: Node 24, the Docker CLI with its buildx plugin, and the bundled program.
# Both sources are build arguments so the image can also be built from locally made bases.
ARG NODE_IMAGE=node:24-bookworm-slim
ARG DOCKER_CLI_IMAGE=docker:28-cli

FROM ${DOCKER_CLI_IMAGE} AS docker-cli

FROM ${NODE_IMAGE}
COPY --from=docker-cli /usr/local/bin/docker /usr/local/bin/docker
COPY --from=docker-cli /usr/local/libexec/docker/cli-plugins/ /usr/local/libexec/docker/cli-plugins/
COPY dist/ /ecs-ship/dist/
# Pipes run as root, with the clone directory as the working directory.
ENTRYPOINT ["node", "/ecs-ship/dist/index.js"]
