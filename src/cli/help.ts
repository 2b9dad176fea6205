// The usage texts of `hush` and of each command.

export const USAGE = `Usage: hush <command> [options]

Share a secret once, end-to-end encrypted: the key stays in the link's #fragment.

Commands:
  send [SECRET]        store a one-time secret and print its link (text from stdin, --message-file
                       or argument; files with --file PATH, repeatable)
  open [LINK]          print a secret exactly as sent and save its files, using up one view
  combine [LINK…]      open a split secret (send --split K-of-N) from K of its share links
  status [MANAGE-LINK] show whether a secret was read, its views left and its expiry
  revoke [MANAGE-LINK] erase a secret now
  seal [SECRET]        make a stateless link: nothing stored, no request made
  unseal [LINK]        open a stateless link, offline
  request              ask someone for a secret: prints a request link; the private key stays here
  request wait ID      wait for the answer, print the secret exactly, and forget the key
  request cancel ID    erase a request
  respond LINK [SECRET] answer a request link: the secret is encrypted to the requester's key
  token                make an API token and the server setting for it
  login                sign in with your organisation's account (servers with HUSH_CREATE=oidc);
                       send and request then create as you, with a personal API token kept here
  logout               forget the personal API token login kept for a server
  serve [--flag VALUE] run the server (settings: hush serve --help)
  verify ORIGIN        check that a live instance serves this release's pages and scripts unchanged
  receipt get MANAGE-LINK  the signed receipt of a secret's history (JSON on stdout)
  receipt verify FILE  check a secret's signed receipt offline (--key, or --server for its keys)
  audit export ADMIN-URL  the operators' audit trail as JSON Lines (from the admin listener)
  audit verify FILE    check that an audit export is intact: no line removed or changed

Options:
  -h, --help           this help; hush <command> --help for a command's options
  --version            print the version

Links left out are read from stdin (keeps them out of ps and shell history).
Environment: HUSH_SERVER (default http://127.0.0.1:8080), HUSH_PASSPHRASE, HUSH_API_TOKEN (else the
token hush login kept for the server, in $XDG_CONFIG_HOME or ~/.config/hush/credentials.json).
Exit codes: 0 ok; 1 not found, expired, already read, wrong passphrase or age identity (verify:
a file differs; receipt or audit verify: not valid); 2 usage error; 3 anything else (server
unreachable or refusing).
`;

const PASSPHRASE = `  --passphrase-file PATH
                      the passphrase from a file (one trailing newline ignored); else HUSH_PASSPHRASE`;

export const COMMAND_USAGE: Record<string, string> = {
  send: `Usage: hush send [options] [SECRET]

Encrypts the secret locally, stores the ciphertext on the server and prints the link on stdout.
The manage link (status, revoke) goes to stderr. The text is read from --message-file, else the
argument (visible in shell history and ps: avoid), else stdin; byte for byte, nothing trimmed.
Files given with --file (at most 100) travel in the same encrypted secret; with files, the text
may be empty (stdin on a terminal is then not read). Text and files together must fit the
server's limit (10 MiB by default).

Options:
  --ttl DURATION      lifetime: seconds, or 30m, 1h, 7d (default: the server's, usually 24h)
  --views N           how many times it can be read (default 1)
  --file PATH         attach a file (repeat for several: --file a --file b)
  --message-file PATH read the text from a file (- for stdin)
  --recipient WHO     only this address (a@example.com) or domain (@example.com) can open it,
                      with a code mailed to them (repeat for several; the server needs mail)
  --to RECIPIENT      wrap the link's key to this age key (age1…, as age-keygen -y prints; repeat
                      for several, at most 10): the link carries no key, so only a holder of a
                      matching identity can read or burn it (hush open --identity FILE)
  --to-file PATH      age recipients, one per line as age -R reads them (# comments, blank lines).
                      SSH keys (ssh-ed25519, ssh-rsa) are not supported: the age library Hush
                      uses (age-encryption) has none
  --split K-of-N      split it (2 ≤ K ≤ N ≤ 10): the secret is stored once and its key split into
                      N share links, each its own one-time secret (--ttl, --views and the
                      passphrase apply to each share); any K of them open it with hush combine,
                      fewer reveal nothing. Prints "share I of N: LINK" lines; each share's manage
                      link, and the secret's own, go to stderr. Not with --to or --recipient
${PASSPHRASE}
  --token TOKEN       API token, skips the human check; prefer HUSH_API_TOKEN (neither: the
                      personal token hush login kept for this server, if any)
  --server URL        the Hush server; else HUSH_SERVER, else http://127.0.0.1:8080
  --json              print {"link","manageLink","id","expiresAt","views"} on stdout (with
                      --split: {"k","n","vault":{…},"shares":[{"index","link","manageLink",…}]})
  -h, --help          this help
`,
  combine: `Usage: hush combine [options] [LINK…]

Opens a secret sent with hush send --split K-of-N from K of its share links (given as arguments,
or one per line on stdin, which keeps them out of ps and shell history). Every share is checked
first without using it up: fewer than K different shares still there, shares of different
secrets, or a passphrase missing fail (exit 1) and use nothing up. Then K shares are used up,
the key is rebuilt and checked, and the secret is opened (its one view) and printed exactly, its
files saved, as hush open does. A spare share given beyond K is used only when one of the first
K turns out gone or damaged. If opening fails after the key was rebuilt, the secret's own link
is printed on stderr: it still opens once with hush open.

Options:
${PASSPHRASE}
                      (the shares' passphrase; asked for on the terminal when needed)
  --out DIR           save attached files here (checked before anything is used up)
  --force             overwrite files of the same name in DIR
  --raw               on a terminal too, print the text exactly, control characters and all
  --json              print {"message","files","expiresAt","k","n","sharesUsed"} on stdout
  -h, --help          this help
`,
  open: `Usage: hush open [options] [LINK]

Prints the secret on stdout exactly as it was sent, and uses up one view of a stored link.
Stateless links (…/l#…) are opened offline. The link is read from stdin when not given (a link
given as an argument is visible in shell history and ps). On a terminal, control characters in
the text (escape sequences) are shown visibly, e.g. \\x1b, not obeyed; --raw prints them as they
are. Into a pipe or file the text is always exact.
Attached files are saved (mode 0600) in --out DIR, else in a new directory only you can open
(./hush-files-XXXXXX), and each is named on stderr. A name already taken gets " (1)" added
unless --force is given; names are cleaned of directories and control characters first.

Options:
${PASSPHRASE}
                      (asked for on the terminal when needed and not given)
  --email ADDRESS     your address, for a secret only named people can open: a code is mailed
                      to it, then read from the terminal (or from stdin, the link then given
                      as an argument); asked for on the terminal when needed and not given
  --identity FILE     for a link sent with hush send --to (…#age.…): an age identity file
                      (AGE-SECRET-KEY-1… lines, as age-keygen writes them; repeatable). The key is
                      unwrapped here before any request: a missing or wrong identity uses up
                      nothing (exit 1). SSH keys and passphrase-protected identity files are not
                      supported
  --export-age        write that link's age file to stdout (binary; no request made):
                      age -d -i key.txt turns it into the 32-byte link key k, and
                      …/s/{id}#{base64url(k)} is then the plain link
  --out DIR           save attached files here (checked before the secret is used up)
  --force             overwrite files of the same name in DIR
  --raw               on a terminal too, print the text exactly, control characters and all
  --json              print {"message","files":[{"name","path","size"}],"expiresAt","viewsLeft"}
  -h, --help          this help
`,
  status: `Usage: hush status [options] [MANAGE-LINK]

Shows the state (pending, consumed and when, expired, revoked, burned), views left and expiry.

Options:
  --json              print the server's status object
  --wait              wait until the state or the views left change (read, expired, burned,
                      revoked), then print the new status; at once if nothing can change any more
  --every DURATION    how often --wait asks the server (default 3s, at least 1s)
  -h, --help          this help
`,
  revoke: `Usage: hush revoke [MANAGE-LINK]

Erases the secret on the server at once; its link no longer opens.

Options:
  -h, --help          this help
`,
  seal: `Usage: hush seal [options] [SECRET]

Makes a stateless link: the encrypted secret travels in the link itself, nothing is stored and
no request is made. It cannot be revoked or limited to one read; the reader's client enforces
the expiry. The secret is read as for hush send; links are limited to 2000 characters.

Options:
  --ttl DURATION      lifetime: seconds, or 30m, 1h, 7d (default 24h)
  --expires-at TIME   absolute expiry, ISO-8601 (e.g. 2030-01-31T18:00:00Z), instead of --ttl
  --message-file PATH read the secret from a file (- for stdin)
${PASSPHRASE}
                      (the link is then keyed by the passphrase alone: share it separately)
  --server URL        origin of the link; else HUSH_SERVER, else http://127.0.0.1:8080
  --json              print {"link","expiresAt"} on stdout
  -h, --help          this help
`,
  unseal: `Usage: hush unseal [options] [LINK]

Opens a stateless link (…/l#…) offline and prints the secret exactly (files, if a library put
any in, are saved as by hush open). On a terminal, control characters are shown visibly unless
--raw is given, as by hush open.

Options:
${PASSPHRASE}
  --out DIR           save attached files here (default: a new directory ./hush-files-XXXXXX)
  --force             overwrite files of the same name in DIR
  --raw               on a terminal too, print the text exactly, control characters and all
  --json              print {"message","files","expiresAt","viewsLeft"} on stdout
  -h, --help          this help
`,
  verify: `Usage: hush verify [options] ORIGIN

Fetches the pages (/, /s/{id}, /m/{id}, /l, the 404 page) and every script, stylesheet and
worker of the Hush instance at ORIGIN (e.g. https://hush.example.com, a path prefix allowed),
and compares their SHA-256 with the manifest of this installed release (dist/web/manifest.json).
One line per file: ok, DIFFERS or MISSING. The instance must run the same version
(GET /api/v1/info); the pages pin their scripts and stylesheets with Subresource Integrity, so
matching pages mean the browser runs exactly this release's code. It proves what the instance
served to this request, not what it serves to everyone.

Options:
  --json              print {"origin","version","serverVersion","match","summary","files"}
  -h, --help          this help

Exit codes: 0 every file matches; 1 a file differs or is missing, or another version runs;
2 usage error; 3 the instance could not be reached or is not a Hush server.
`,
  audit: `Usage: hush audit export [--since SEQ] ADMIN-URL > audit.jsonl
       hush audit verify [--prev HASH] FILE

The audit trail is the server's append-only log of every event of every secret (created, opened,
read, passphrase_failed, burned, revoked, expired), with its time and client class and nothing
that names a secret. Each entry carries the hash of the one before it.

export reads it from the admin listener (HUSH_ADMIN_HOST:HUSH_ADMIN_PORT, e.g.
http://127.0.0.1:9090), all of it or the entries after --since SEQ, and writes JSON Lines.

verify checks an export (- reads stdin): every line well-formed and unchanged, no seq missing,
each entry chained to the one before. It prints the head (the last hash): keep it elsewhere; the
next export, --since the last seq, verifies with --prev HEAD, which also proves that nothing
between the two was removed. Lines cut off either end of an export show only against kept heads:
the start against --prev (an export from seq 1 starts at the genesis), the end against the next.

Options:
  --since SEQ         export: only entries after this seq
  --prev HASH         verify: the head of the export this one continues
  -h, --help          this help

Exit codes: 0 intact; 1 not intact (the line and why are named); 2 usage error; 3 the admin
listener could not be reached.
`,
  receipt: `Usage: hush receipt get MANAGE-LINK > receipt.json
       hush receipt verify [options] FILE

get prints the server's signed receipt of a secret's history, from the sender's manage link (or
- to read it from stdin), as one line of JSON: keep it, it outlives the secret's history.

verify checks a signed receipt of a secret's history (its events, times and client classes) that the
server signed with its Ed25519 key. Any changed byte makes it fail. FILE is the receipt as saved
(- reads stdin). The server's public key comes from --key (offline), or from --server, which
fetches ORIGIN/.well-known/hush-receipts.json and picks the key the receipt names; a retired key
still verifies the receipts it signed. A key inside the file is never trusted. On success prints
the state and each event with its time and client class.

Options:
  --key PUBLIC-KEY    the server's public key (base64url of 32 bytes, "publicKey" in its keys)
  --server ORIGIN     fetch the server's receipt keys from ORIGIN (e.g. https://hush.example.com)
  --json              print the verified payload (the receipt's JSON) instead
  -h, --help          this help

Exit codes: 0 valid; 1 not valid (changed, another key, not a receipt, key not listed);
2 usage error; 3 the server's keys could not be fetched.
`,
  request: `Usage: hush request [options]
       hush request wait [options] ID
       hush request cancel [options] ID

Asks someone for a secret. hush request makes an ECDH P-256 key pair, keeps the private key in
a file only you can read (mode 0600), creates the request on the server and prints the request
link on stdout: send it to the person who has the secret (hush respond LINK, or the page). The
link's #fragment is a fingerprint of your public key and note, so their client refuses a key the
server swapped. The note is NOT encrypted: the server can read it.

hush request wait ID polls until the request is answered, picks the answer up (once: the server
then erases the request), prints the secret exactly as sent (on a terminal, control characters
shown visibly unless --raw), and deletes the key file.
hush request cancel ID erases the request on the server and deletes the key file.

Options of hush request:
  --note TEXT         shown to the sender (at most 500 characters; not encrypted)
  --ttl DURATION      lifetime: seconds, or 30m, 1h, 7d (default: the server's, usually 24h)
  --server URL        the Hush server; else HUSH_SERVER, else http://127.0.0.1:8080
  --key-dir DIR       where key files live (default ~/.config/hush/requests, or
                      $XDG_CONFIG_HOME/hush/requests); created with mode 0700
  --token TOKEN       API token, skips the human check; prefer HUSH_API_TOKEN (neither: the
                      personal token hush login kept for this server, if any)
  --json              print {"link","id","expiresAt","keyFile"} on stdout

Options of hush request wait:
  --every DURATION    how often to ask the server (default 3s, at least 1s)
  --timeout DURATION  give up after this long (exit 1; the request stays open)
  --key-dir DIR       as above
  --raw               on a terminal too, print the text exactly, control characters and all
  --json              print {"message","expiresAt"} on stdout

Options of hush request cancel:
  --key-dir DIR       as above

  -h, --help          this help
`,
  respond: `Usage: hush respond [options] LINK [SECRET]

Answers a request link (…/r/{id}#{fingerprint}): fetches the request, checks that the public key
and note the server gives match the fingerprint in the link (and refuses, exit 1, sending
nothing, when they do not), encrypts the secret to that key and sends it. Only the requester's
private key can open it. The note is shown on stderr. The secret is read from --message-file,
else the second argument (visible in shell history and ps: avoid), else stdin; byte for byte.

Options:
  --message-file PATH read the secret from a file (- for stdin)
  -h, --help          this help
`,
  login: `Usage: hush login [--server URL]

Signs in with your organisation's account, on a server where creating needs it (HUSH_CREATE=oidc),
by the device authorization grant (RFC 8628): prints a web address and a code on stderr (and opens
nothing itself); open the address on any device, enter the code and sign in there. The server then
gives this CLI a personal API token, kept for that server in $XDG_CONFIG_HOME/hush/credentials.json
(else ~/.config/hush/credentials.json; mode 0600). hush send and hush request use it when neither
--token nor HUSH_API_TOKEN is given, and the secrets they make are listed under your account on
the page. It lasts as long as the server says (30 days by default) and cannot be revoked before:
hush logout forgets it here. Where the server or its provider offers no sign-in for the CLI, make
a token on the page instead (signed in: "Make an API token") and give it as HUSH_API_TOKEN.

Options:
  --server URL        the Hush server; else HUSH_SERVER, else http://127.0.0.1:8080
  -h, --help          this help
`,
  logout: `Usage: hush logout [--server URL]

Forgets the personal API token hush login kept for the server. The server takes the token until it
expires all the same: only its operator can end it sooner (by changing HUSH_SESSION_KEY, which ends
every personal token and sign-in at once).

Options:
  --server URL        the Hush server; else HUSH_SERVER, else http://127.0.0.1:8080
  -h, --help          this help
`,
  token: `Usage: hush token

Prints a new random API token on stdout, and on stderr the server setting that accepts it
(HUSH_API_TOKENS=sha256:…; comma-separate several). The server stores only the hash.

Options:
  -h, --help          this help
`,
};
