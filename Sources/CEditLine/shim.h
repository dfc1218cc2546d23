// libedit's readline interface, for detapi explore's line editing, history and Tab completion. The inline
// functions wrap libedit's global variables, which Swift 6 will not touch directly.
#ifndef DETAPI_CEDITLINE_SHIM_H
#define DETAPI_CEDITLINE_SHIM_H
#include <stdio.h>
#include <editline/readline.h>
#include <fcntl.h>

/// pipe2 is a GNU extension Swift's Glibc module does not show: declared here for close-on-exec pipes, which no
/// child spawned meanwhile by another thread inherits.
extern int pipe2(int fds[2], int flags);
static inline int detapi_pipe_cloexec(int fds[2], int nonblocking) {
    return pipe2(fds, O_CLOEXEC | (nonblocking ? O_NONBLOCK : 0));
}

static inline void detapi_rl_setup(const char *name, char *word_breaks, rl_completion_func_t *complete) {
    rl_readline_name = name;
    rl_completer_word_break_characters = word_breaks;
    rl_attempted_completion_function = complete;
}

/// Called inside a completion: no file-name fallback, and the character appended to a single match.
static inline void detapi_rl_completion_done(int append_character) {
    rl_attempted_completion_over = 1;
    rl_completion_append_character = append_character;
}

/// Reads keys with `getc`: libedit's own reader retries a read that Ctrl-C interrupted and keeps the typed text.
static inline void detapi_rl_set_getc(int (*getc)(FILE *)) { rl_getc_function = getc; }

static inline const char *detapi_rl_line_buffer(void) { return rl_line_buffer ? rl_line_buffer : ""; }
static inline int detapi_rl_point(void) { return rl_point; }
#endif
