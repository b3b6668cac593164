/*
 * The init container's one command: copies the agent jar and its SHA-256 from this image into the pod's
 * volume (the directory given, /opt/keepalive-agent by default), then makes that directory sticky as /tmp
 * is (an emptyDir is rwxrwxrwx): no user of the pod can then rename or replace what another put there, and
 * the agent trusts the woven-class cache under it (docs/security.md).
 *
 * Statically linked, so that the image needs nothing else: no shell, no libc. Each file is written under a
 * temporary name and renamed, so the app never sees half a jar.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static const char *const FILES[] = {"keepalive-agent.jar", "keepalive-agent.jar.sha256"};
static const char *const FROM = "/keepalive-agent";

static int fail(const char *what, const char *path) {
    fprintf(stderr, "keepalive-agent install: cannot %s %s: %s\n", what, path, strerror(errno));
    return 1;
}

static int copy(const char *name, const char *to_dir) {
    char from[4096], temporary[4096], to[4096];
    snprintf(from, sizeof from, "%s/%s", FROM, name);
    snprintf(to, sizeof to, "%s/%s", to_dir, name);
    if (snprintf(temporary, sizeof temporary, "%s/.%s.partial", to_dir, name) >= (int) sizeof temporary) {
        errno = ENAMETOOLONG;
        return fail("write into", to_dir);
    }
    int in = open(from, O_RDONLY | O_CLOEXEC);
    if (in < 0) return fail("read", from);
    unlink(temporary);
    int out = open(temporary, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0444);
    if (out < 0) return fail("create", temporary);
    char buffer[65536];
    ssize_t n;
    while ((n = read(in, buffer, sizeof buffer)) > 0) {
        for (ssize_t written = 0; written < n;) {
            ssize_t w = write(out, buffer + written, (size_t) (n - written));
            if (w < 0) {
                if (errno == EINTR) continue;
                return fail("write", temporary);
            }
            written += w;
        }
    }
    if (n < 0) return fail("read", from);
    if (fsync(out) != 0) return fail("sync", temporary);
    if (close(out) != 0) return fail("close", temporary);
    close(in);
    if (rename(temporary, to) != 0) return fail("rename into place", to);
    printf("keepalive-agent install: %s\n", to);
    return 0;
}

int main(int argc, char **argv) {
    const char *to_dir = argc > 1 ? argv[1] : "/opt/keepalive-agent";
    if (argc > 2 || to_dir[0] != '/') {
        fprintf(stderr, "usage: install [DIRECTORY]   (an absolute path; default /opt/keepalive-agent)\n");
        return 2;
    }
    for (size_t i = 0; i < sizeof FILES / sizeof FILES[0]; i++) {
        if (copy(FILES[i], to_dir) != 0) return 1;
    }
    if (chmod(to_dir, 01777) != 0) return fail("make sticky (chmod 1777)", to_dir);
    return 0;
}
