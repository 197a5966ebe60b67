# One image, two environments. Heroku runs it as the production web dyno
# (heroku.yml); docker compose runs it as the development stack
# (docker-compose.yml, which switches PROD_SETTINGS off and mounts your code).
# Three stages: `app` holds everything; `release` and `web` only set its command.
# `web` comes last, so `docker build .` and heroku.yml's build give the web image.
FROM python:3.13-slim AS app

# Nothing writes .pyc files at run time (the code is read-only to the app's
# user, and compose mounts your tree); logs are unbuffered; pip is quiet and
# keeps no cache in the image.
ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    PIP_NO_CACHE_DIR=1 \
    PATH=/opt/venv/bin:$PATH

# curl: Heroku streams the release phase's output to `git push` and
# `heroku releases:output` only when the image has it (otherwise only `heroku logs`
# shows it). First, as it changes least; no package lists are kept in the layer.
# Unpinned on purpose: Debian's security updates come with every rebuild.
# hadolint ignore=DL3008
RUN apt-get update \
 && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends curl \
 && rm -rf /var/lib/apt/lists/*

# The app's own user: containers do not run as root (and any other UID, with
# no passwd entry, works too, as platforms run them).
RUN groupadd --system --gid 10001 mysite \
 && useradd --system --uid 10001 --gid 10001 --no-create-home \
      --home-dir /nonexistent --shell /usr/sbin/nologin mysite

# Dependencies in a virtualenv, in their own layer: a code-only change
# rebuilds from the COPY below. The base image's pip installs into it, so the
# virtualenv carries no pip of its own.
COPY requirements.txt /tmp/requirements.txt
RUN python -m venv --without-pip /opt/venv \
 && pip --python /opt/venv/bin/python install --no-warn-script-location -r /tmp/requirements.txt \
 && rm /tmp/requirements.txt

WORKDIR /app
COPY . .

# Static files (hashed, compressed) and bytecode, made at build time: the
# default settings need no secret and no database, and serve the same files.
RUN python manage.py collectstatic --noinput --verbosity 0 \
 && python -m compileall -q gunicorn.conf.py mysite guestbook

# Production is the default: started without its config vars, the container
# stops with one line naming what is missing, instead of serving with DEBUG on.
ENV PROD_SETTINGS=True
USER 10001:10001

# The release phase of a Container Registry deploy (`heroku container:release web
# release`): Heroku runs the image pushed as `release` with no command, so its CMD is
# the migration, the very command of heroku.yml's release section and the Procfile.
FROM app AS release
CMD ["python", "manage.py", "release"]

# The web dyno, and the default target. Exec form: gunicorn is PID 1 and gets
# SIGTERM itself, so it drains in-flight requests on `docker stop` or a dyno restart.
# It reads /app/gunicorn.conf.py ($PORT, workers, timeouts). heroku.yml's run.web is
# this same command; the Container Registry path runs it through `/bin/sh -c`.
FROM app AS web
CMD ["gunicorn", "mysite.wsgi"]
