# The lab's client: a small Debian with dig, curl and the text browser w3m, whose resolver is the lab
# recursor (docker-compose.yml gives it `dns: [172.28.53.53]`). Try:
#   docker compose run --rm client curl -v http://www.google.com/
#   docker compose run --rm client dig +norec @172.28.53.11 www.google.com
#   docker compose run --rm client w3m http://www.naver.com/
#
# dnslab/client-base:12 is made locally from Debian packages (no registry pull) by
# scripts/build-images.sh, with ../shared/docker/setup-engine.sh's debootstrap + docker import.
FROM dnslab/client-base:12

RUN useradd --uid 10100 --user-group --create-home --shell /bin/bash learner
USER learner
WORKDIR /home/learner

# Idle until asked to stop, so `docker compose exec client ...` works too; exits at once on SIGTERM
# (a bare `sleep` as PID 1 would ignore it and make `down` wait 10 s).
CMD ["sh", "-c", "trap 'exit 0' TERM INT; sleep infinity & wait"]
