# The lab's client: a small Debian with dig, curl and the text browser w3m, whose resolver is the
# lab's router cache (docker-compose.yml gives it `dns: [172.28.53.254]`). Try:
#   docker compose run --rm client curl -v http://www.google.com/
#   docker compose run --rm client dig +norec @172.28.53.11 www.google.com
#   docker compose run --rm client w3m http://www.naver.com/
#
# BASE (docker-compose.yml: DNSLAB_CLIENT_BASE) defaults to the public Debian image, and the tools
# are installed with apt. A local base that already has them (scripts/build-images.sh makes one
# from Debian packages for machines without a registry) skips apt, so nothing is downloaded.
ARG BASE=debian:bookworm-20250721-slim
FROM ${BASE}

RUN if command -v dig && command -v curl && command -v w3m; then \
      echo "client: dig, curl and w3m are in the base image"; \
    else \
      apt-get update \
      && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends \
           dnsutils curl w3m ca-certificates \
      && rm -rf /var/lib/apt/lists/*; \
    fi \
 && useradd --uid 10100 --user-group --create-home --shell /bin/bash learner
USER learner
WORKDIR /home/learner

# Idle until asked to stop, so `docker compose exec client ...` works too; exits at once on SIGTERM
# (a bare `sleep` as PID 1 would ignore it and make `down` wait 10 s).
CMD ["sh", "-c", "trap 'exit 0' TERM INT; sleep infinity & wait"]
