/* SPDX-License-Identifier: MIT */
/*
 * File helpers the unit tests share: a new temporary directory, removing a
 * tree, reading a whole file. Static inline, so that a test includes them
 * all and uses what it needs.
 */
#ifndef CND_TESTFS_H
#define CND_TESTFS_H

#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* Makes a new directory "/tmp/cnd-NAME-XXXXXX" and writes its path into "buf"; exits on failure. */
static inline void testfs_tmpdir(char *buf, size_t size, const char *name)
{
    snprintf(buf, size, "/tmp/cnd-%s-XXXXXX", name);
    if (mkdtemp(buf) == NULL) {
        perror("mkdtemp");
        exit(1);
    }
}

/* Removes "path" and everything under it (missing is fine). */
static inline void testfs_rm_rf(const char *path)
{
    struct stat st;
    struct dirent *de;
    char sub[1024];
    DIR *d;

    if (lstat(path, &st) != 0) {
        return;
    }
    if (!S_ISDIR(st.st_mode)) {
        unlink(path);
        return;
    }
    d = opendir(path);
    while (d != NULL && (de = readdir(d)) != NULL) {
        if (strcmp(de->d_name, ".") != 0 && strcmp(de->d_name, "..") != 0 &&
            (size_t)snprintf(sub, sizeof(sub), "%s/%s", path, de->d_name) < sizeof(sub)) {
            testfs_rm_rf(sub);
        }
    }
    if (d != NULL) {
        closedir(d);
    }
    rmdir(path);
}

/* The bytes of the file "path" (malloced, NUL-terminated) or NULL; length in "*len". */
static inline char *testfs_read(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    char *data;
    long n;

    if (f == NULL) {
        return NULL;
    }
    if (fseek(f, 0, SEEK_END) != 0 || (n = ftell(f)) < 0 || fseek(f, 0, SEEK_SET) != 0) {
        fclose(f);
        return NULL;
    }
    data = malloc((size_t)n + 1);
    if (data != NULL && fread(data, 1, (size_t)n, f) != (size_t)n) {
        free(data);
        data = NULL;
    }
    fclose(f);
    if (data != NULL) {
        data[n] = '\0';
        *len = (size_t)n;
    }
    return data;
}

#endif
