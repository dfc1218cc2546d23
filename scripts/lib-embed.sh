# Shared by the embed-*.sh generators: writes one `("name", #"""…"""#),` entry of a Swift array of files.
# Usage: embed_entry NAME FILE
embed_entry() {
    printf '        (\n            "%s",\n            #"""\n' "$1"
    cat "$2"
    printf '\n"""#\n        ),\n'
}
