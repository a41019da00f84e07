/* Reference phase-2 reducer in C (benchmark peer, not shipped).
 * stdin: source<TAB>target<TAB>count lines grouped by source<TAB>target (sorted).
 * stdout: source<TAB>target<TAB>sum per pair. Bad lines are skipped.
 * Build: gcc -O2 -o sum_reducer sum_reducer.c */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int main(void) {
  static char obuf[1 << 20];
  setvbuf(stdout, obuf, _IOFBF, sizeof obuf);
  char *line = NULL, *key = NULL;
  size_t cap = 0, key_len = 0, key_cap = 0;
  ssize_t len;
  unsigned long long sum = 0;
  int have = 0;
  while ((len = getline(&line, &cap, stdin)) > 0) {
    if (line[len - 1] == '\n') len--;
    if (len > 0 && line[len - 1] == '\r') len--;
    char *t1 = memchr(line, '\t', (size_t)len);
    if (!t1 || t1 == line) continue;
    char *t2 = memchr(t1 + 1, '\t', (size_t)(line + len - t1 - 1));
    if (!t2 || t2 == t1 + 1 || t2 + 1 == line + len) continue;
    unsigned long long n = 0;
    char *p = t2 + 1;
    for (; p < line + len && *p >= '0' && *p <= '9'; p++) n = n * 10 + (unsigned)(*p - '0');
    if (p != line + len) continue;
    size_t klen = (size_t)(t2 - line);
    if (have && klen == key_len && memcmp(line, key, klen) == 0) {
      sum += n;
      continue;
    }
    if (have) {
      fwrite(key, 1, key_len, stdout);
      printf("\t%llu\n", sum);
    }
    if (klen > key_cap) { key_cap = klen * 2; key = realloc(key, key_cap); }
    memcpy(key, line, klen);
    key_len = klen;
    sum = n;
    have = 1;
  }
  if (have) {
    fwrite(key, 1, key_len, stdout);
    printf("\t%llu\n", sum);
  }
  if (fflush(stdout) != 0) { perror("write"); return 1; }
  free(line);
  free(key);
  return 0;
}
