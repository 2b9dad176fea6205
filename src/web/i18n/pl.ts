// Polski (pl), informal "ty" with Twój/Ci capitalised, as Google and Microsoft use; impersonal forms where a past tense would need a gender. Same keys as en.ts (the types make a missing or extra key a compile error).
import type * as En from './en.js';
import { plural } from './plural.js';
import { times, end, low } from './pl-words.js';

export const common: typeof En.common = {
  tag: 'jednorazowe sekrety z szyfrowaniem end-to-end',
  language: 'Język',
  copied: 'Skopiowano ✓',
  pressCtrlC: 'Naciśnij Ctrl+C, aby skopiować',
  copiedAnnounce: (what) => `Skopiowano do schowka: ${low(what)}.`,
  selectedAnnounce: (what) => `Zaznaczono: ${low(what)}. Naciśnij Ctrl+C, aby skopiować.`,
  lessThanMinute: 'mniej niż minutę',
  notAvailable:
    'Ten sekret jest niedostępny. Został już odczytany, wygasł albo link jest niekompletny. Poproś nadawcę o ponowne udostępnienie.',
  network: 'Nie można połączyć się z serwerem Hush. Sprawdź połączenie i spróbuj ponownie.',
  aMinute: 'około minuty',
  rateLimited: (wait) => `Zbyt wiele prób z Twojej sieci. Spróbuj ponownie później. Czas oczekiwania: ${end(wait)}`,
  wrongPassphrase: 'Nieprawidłowe hasło.',
  wrongPassphraseLeft: (n) =>
    `Nieprawidłowe hasło. ${plural(n, { one: 'Pozostała # próba', few: 'Pozostały # próby', many: 'Pozostało # prób', other: 'Pozostało # próby' })} – potem sekret zostanie zniszczony.`,
  wrongCodeLeft: (n) =>
    `Nieprawidłowy lub wygasły kod. ${plural(n, { one: 'Pozostała # próba', few: 'Pozostały # próby', many: 'Pozostało # prób', other: 'Pozostało # próby' })} – potem sekret zostanie zniszczony.`,
  codeRequired: 'Ten sekret mogą otworzyć tylko osoby wskazane przez nadawcę: najpierw poproś o kod na swój adres e-mail.',
  notYetAvailable: (when) => `Ten sekret można otworzyć od ${when}.`,
  badResponse: 'Serwer zwrócił odpowiedź, której ta strona nie rozumie. Spróbuj ponownie później.',
  expired: (when) => `Ten sekret wygasł ${when}.`,
  unsupportedVersion: 'Ten sekret utworzono w nowszej wersji Hush. Otwórz go w aktualnej wersji Hush.',
  invalidLink: 'Ten link jest niekompletny lub uszkodzony. Skopiuj cały link, łącznie z częścią po „#”, i otwórz go ponownie.',
  decryptionFailed: 'Nie udało się odszyfrować tego sekretu: link lub hasło są nieprawidłowe albo dane zostały uszkodzone.',
  unsafeParameters: 'Serwer przesłał parametry hasła, których ta strona odmawia użycia. Poproś nadawcę o nowy link.',
  somethingWrong: 'Coś poszło nie tak. Odśwież stronę i spróbuj ponownie.',
};

// The create page's messages, the largest section, live in pl-create.ts.
export { create } from './pl-create.js';

export const open: typeof En.open = {
  title: 'Hush – sekret dla Ciebie',
  h1: 'Ktoś udostępnił Ci sekret',
  passphrase: 'Hasło',
  reveal: 'Pokaż sekret',
  secretTitle: 'Sekret',
  secret: 'Sekret',
  copy: 'Kopiuj sekret',
  own: 'Udostępnij własny sekret',
  decrypting: 'Odszyfrowywanie…',
  checking: 'Sprawdzanie hasła…',
  enterPassphrase: 'Wpisz hasło otrzymane od nadawcy.',
  files: 'Pliki',
  filesNote:
    'Każdy plik jest pobierany dokładnie w takiej postaci, w jakiej został wysłany; ta strona nigdy go nie otwiera. Otwieraj pliki tylko wtedy, gdy ufasz nadawcy.',
};

export const reveal: typeof En.reveal = {
  intro:
    'Sekret jest zaszyfrowany, a klucz znajduje się w Twoim linku. Gdy go pokażesz, zostanie odszyfrowany w tej przeglądarce i usunięty z serwera – skopiuj go więc w bezpieczne miejsce.',
  passphraseHelp: 'Nadawca zabezpieczył ten sekret hasłem i powinien był przekazać Ci je innym kanałem.',
  expiresIn: (remaining) => `Wygasa za ${end(remaining)}`,
  once: 'Można go otworzyć tylko raz.',
  moreTimes: (n) => `Można go otworzyć jeszcze ${times(n)}.`,
  notBefore: (when) => `Nadawca udostępnił go od ${when}; wcześniej nie można go otworzyć.`,
  deleted: 'Sekret został już usunięty z serwera; jest widoczny tylko na tej stronie. Skopiuj go, zanim ją opuścisz.',
  moreWithLink: (n) => `Za pomocą tego samego linku można go otworzyć jeszcze ${times(n)}.`,
  ageKey: 'Ten sekret jest zaszyfrowany Twoim własnym kluczem age: otwórz go poleceniem „hush open --identity FILE”.',
  ageLink: 'Otwórz go tutaj plikiem tożsamości age',
  combineLink: 'Otwórz go razem z pozostałymi udziałami',
  shareKey: 'Ten link to jeden z udziałów sekretu podzielonego między kilka osób: można go otworzyć tylko razem z wystarczającą liczbą pozostałych udziałów, poleceniem „hush combine LINK…”. Nic nie zostało zużyte.',
  badKey: 'Ten link jest niekompletny: brakuje klucza po „#” lub jest on uszkodzony. Skopiuj cały otrzymany link i otwórz go ponownie.',
  burned: 'Nieprawidłowe hasło, a limit prób się wyczerpał: sekret został zniszczony. Poproś nadawcę o ponowne udostępnienie.',
  burnedCode: 'Nieprawidłowy kod, a limit prób się wyczerpał: sekret został zniszczony. Poproś nadawcę o ponowne udostępnienie.',
  restricted:
    'Ten sekret mogą otworzyć tylko osoby wskazane przez nadawcę. Wpisz swój adres e-mail: jeśli nadawca go wskazał, zostanie na niego wysłany kod.',
  email: 'Twój adres e-mail',
  sendCode: 'Wyślij mi kod',
  sendNewCode: 'Wyślij nowy kod',
  sending: 'Wysyłanie…',
  codeSent: (address) => `Jeśli nadawca wskazał adres ${address}, kod jest już w drodze. Może to potrwać minutę; sprawdź też folder spamu.`,
  enterEmail: 'Wpisz swój adres e-mail.',
  signIn: 'Lub zaloguj się tutaj adresem wskazanym przez nadawcę: wtedy kod pojawi się na tej stronie (nowa karta)',
  codeGiven: (address) => `Zalogowano jako ${address}: kod został wpisany.`,
  notRecipient: (address) => `Zalogowano jako ${address}, ale nadawca nie wskazał tego adresu: ten sekret nie jest dla niego przeznaczony.`,
  code: 'Kod z e-maila',
  codeHelp: 'Sześć cyfr, ważny 10 minut i tylko do jednego otwarcia. Błędne kody są liczone: po 5 sekret zostanie zniszczony.',
  enterCode: 'Wpisz sześciocyfrowy kod z e-maila.',
  leftDeleted:
    'Sekret zniknął z tej strony po jej opuszczeniu i został usunięty z serwera. Jeśli nie masz jego kopii, poproś nadawcę o ponowne udostępnienie.',
  leftMore: (n) => `Sekret zniknął z tej strony po jej opuszczeniu. Za pomocą otrzymanego linku można go otworzyć jeszcze ${times(n)}.`,
};

export const stateless: typeof En.stateless = {
  intro: 'To jest link bezstanowy: zaszyfrowany sekret znajduje się w samym linku. Ta strona odszyfrowuje go w Twojej przeglądarce i niczego nie wysyła na serwer.',
  note: 'Linku bezstanowego nie można unieważnić ani ograniczyć do jednego odczytu – każdy, kto go ma, może go otworzyć aż do wygaśnięcia – a o terminie ważności decyduje Twoja przeglądarka, nie serwer.',
  passphraseHelp: 'Ten link otworzy się tylko z hasłem, które nadawca przekazał Ci innym kanałem.',
  noExpiry: 'Ten link nie ma terminu ważności.',
  validFor: (remaining) => `Ten link jest ważny jeszcze przez ${remaining}; do tego czasu każdy, kto go ma, może go otworzyć.`,
  damaged: 'Ten link jest niekompletny lub uszkodzony: skopiuj cały link, łącznie z częścią po „#”, i otwórz go ponownie.',
  wrong: 'Nieprawidłowe hasło lub uszkodzony link. Sprawdź hasło i spróbuj ponownie.',
  left: 'Sekret zniknął z tej strony po jej opuszczeniu. Aby go odczytać, otwórz ponownie otrzymany link.',
};

export const manage: typeof En.manage = {
  title: 'Hush – Twój udostępniony sekret',
  h1: 'Twój udostępniony sekret',
  lead: 'Ta strona jest przeznaczona dla nadawcy. Pokazuje, czy sekret został odczytany, i pozwala go unieważnić. Samego sekretu pokazać nie może.',
  state: 'Stan',
  opensFor: 'Kto może otworzyć',
  onlyNamed: 'Tylko wskazane przez Ciebie osoby, po podaniu kodu wysłanego e-mailem',
  viewsLeft: 'Pozostałe otwarcia',
  expires: 'Wygasa',
  expired: 'Wygasł',
  keptUntil: 'Zapis przechowywany do',
  live: 'Ta strona odświeża się sama, dopóki sekret czeka.',
  revoke: 'Unieważnij teraz',
  refresh: 'Odśwież',
  confirm: 'Unieważnić ten sekret? Jego zaszyfrowana treść zostanie natychmiast usunięta, a link przestanie działać. Tej operacji nie można cofnąć.',
  yes: 'Tak, unieważnij',
  no: 'Zachowaj',
  another: 'Udostępnij kolejny sekret',
  revoking: 'Unieważnianie…',
  pending: 'Czeka – jeszcze nieodczytany',
  consumed: 'Odczytany',
  expiredUnread: 'Wygasł nieodczytany',
  revoked: 'Unieważniony przez Ciebie',
  burned: 'Zniszczony po zbyt wielu błędnych hasłach lub kodach',
  openedLast: (when) => `Otwarty, ostatnio ${when}`,
  stateOn: (state, when) => `${state} – ${when}`,
  expiresIn: (when, remaining) => `${when} (za ${remaining})`,
  unknown:
    'Nic nie wiadomo o tym sekrecie: link do zarządzania jest nieprawidłowy albo zapis już nie istnieje. Zapis jest przechowywany do wygaśnięcia sekretu; na serwerach prowadzących historię jest ona zachowywana jeszcze przez jakiś czas po zniknięciu sekretu.',
  incomplete: 'Ten link do zarządzania jest niekompletny: brakuje części po „#”. Otwórz cały zachowany link do zarządzania.',
  setToExpire: 'Miał wygasnąć',
  history: 'Historia',
  historyHelp:
    'Komunikatory i filtry poczty często same otwierają linki, aby pokazać podgląd lub sprawdzić je pod kątem złośliwego oprogramowania. Nie oznacza to odczytania sekretu – sekret zostaje odczytany dopiero wtedy, gdy ktoś go pokaże.',
  onlyMachines: (n) =>
    plural(n, {
      one: 'Link został otwarty raz przez podgląd linku lub skaner, ale nikt jeszcze nie odczytał sekretu.',
      few: 'Link został otwarty # razy przez podglądy linków lub skanery, ale nikt jeszcze nie odczytał sekretu.',
      many: 'Link został otwarty # razy przez podglądy linków lub skanery, ale nikt jeszcze nie odczytał sekretu.',
      other: 'Link został otwarty # raza przez podglądy linków lub skanery, ale nikt jeszcze nie odczytał sekretu.',
    }),
  onlyMachinesEnded: (n) =>
    plural(n, {
      one: 'Link został otwarty raz przez podgląd linku lub skaner, ale nikt nie odczytał sekretu.',
      few: 'Link został otwarty # razy przez podglądy linków lub skanery, ale nikt nie odczytał sekretu.',
      many: 'Link został otwarty # razy przez podglądy linków lub skanery, ale nikt nie odczytał sekretu.',
      other: 'Link został otwarty # raza przez podglądy linków lub skanery, ale nikt nie odczytał sekretu.',
    }),
  readByMachine: 'Sekret odczytał automatyczny klient, a nie człowiek w przeglądarce. Jeśli odbiorca go nie otrzymał, udostępnij sekret ponownie.',
  dropped: (n) =>
    plural(n, {
      one: '… i jeszcze # zdarzenie, którego serwer nie zachował.',
      few: '… i jeszcze # zdarzenia, których serwer nie zachował.',
      many: '… i jeszcze # zdarzeń, których serwer nie zachował.',
      other: '… i jeszcze # zdarzenia, których serwer nie zachował.',
    }),
  evCreated: (by) => `Utworzony ${by}`,
  evOpened: (by) => `Link otwarty ${by} – nieodczytany`,
  evRead: (by) => `Odczytany ${by}`,
  evPassphraseFailed: (by) => `Próba z nieprawidłowym hasłem ${by}`,
  evRevoked: (by) => `Unieważniony ${by}`,
  evOther: (type, by) => `Zdarzenie „${type}” ${by}`,
  byBrowser: 'w przeglądarce',
  byLinkPreview: 'przez podgląd linku',
  byScanner: 'przez automatyczny skaner',
  byCli: 'za pomocą CLI hush',
  byApi: 'przez API',
  byUnknown: 'przez nieznanego klienta',
  byOther: (kind) => `przez klienta typu „${kind}”`,
  sharesTitle: 'Udziały',
  sharesHelp: 'Po użytych udziałach widać, kto uczestniczył w otwarciu sekretu. Unieważnienie sekretu powyżej kończy podział; unieważnienie jednego udziału nie wpływa na pozostałe.',
  shareState: (i, n, state) => `Udział ${String(i)} z ${String(n)}: ${low(state)}`,
  shareUnknown: 'serwer już go nie zna (jego zapis został usunięty)',
};

export const request: typeof En.request = {
  title: 'Hush – poproś o sekret',
  h1: 'Poproś kogoś o sekret',
  lead: 'Hush tworzy w tej przeglądarce parę kluczy i link do wysłania. Odpowiedź drugiej osoby jest szyfrowana Twoim kluczem: może ją otworzyć tylko ta przeglądarka – nie serwer ani nikt, kto zobaczy link.',
  noteLabel: 'Notatka dla nadawcy',
  optional: '(opcjonalnie)',
  noteHelp1: 'Na przykład „poproszę klucz API do stagingu”. Notatka ',
  notEncrypted: 'nie jest szyfrowana',
  noteHelp2: ': serwer może ją odczytać. Nigdy nie umieszczaj w niej sekretu.',
  ttlLabel: 'Czas ważności prośby',
  hour1: '1 godzina',
  hours24: '24 godziny',
  days7: '7 dni',
  make: 'Utwórz link z prośbą',
  making: 'Tworzenie klucza…',
  madeTitle: 'Wyślij ten link osobie, która ma sekret',
  linkLabel: 'Link z prośbą',
  copy: 'Kopiuj',
  keepOpen: 'Nie zamykaj tej strony albo wróć pod ten adres w tej przeglądarce: odpowiedź można odszyfrować tylko tutaj.',
  pendingTitle: 'Twoje prośby',
  answerTitle: 'Sekret, o który prosisz',
  secretLabel: 'Sekret',
  answerHelp: 'Sekret został usunięty z serwera, a klucz, który go otworzył – z tej przeglądarki.',
  shareInstead: 'Zamiast tego udostępnij sekret',
  untitled: 'Prośba',
  waiting: 'czeka na odpowiedź',
  waitingFor: (left) => `czeka na odpowiedź (wygasa za ${left})`,
  line: (what, state) => `${what} – ${state}. `,
  cancel: 'Anuluj',
  turnstile: 'Ten serwer weryfikuje ludzi za pomocą Turnstile, czego strona prośby jeszcze nie obsługuje. Użyj polecenia hush request w terminalu.',
  linkWhat: 'Link z prośbą',
  secretWhat: 'Sekret',
};

export const respond: typeof En.respond = {
  title: 'Hush – ktoś prosi Cię o sekret',
  h1: 'Ktoś prosi Cię o sekret',
  lead: 'To, co wyślesz, zostanie zaszyfrowane w tej przeglądarce kluczem osoby proszącej: tylko ona może to otworzyć, i to jednorazowo.',
  checking: 'Sprawdzanie prośby…',
  theirNote: 'Notatka od osoby proszącej',
  noteNotEncrypted: '(niezaszyfrowana: serwer może ją odczytać)',
  expiresIn: (left) => `Prośba wygasa za ${end(left)}`,
  secretLabel: 'Sekret',
  send: 'Wyślij bezpiecznie',
  sending: 'Szyfrowanie…',
  sent: 'Wysłano. Sekret jest zaszyfrowany kluczem osoby proszącej; tylko ona może go otworzyć, i to jednorazowo. Możesz zamknąć tę stronę.',
  ownLink: 'Udostępnij własny sekret',
  mismatch:
    'Stop: klucz, który ten serwer podaje dla tej prośby, nie pasuje do linku. Ktoś może próbować odczytać Twoją odpowiedź. Nic nie zostało wysłane; powiadom osobę proszącą.',
  damaged: 'Ten link z prośbą jest niekompletny lub uszkodzony: skopiuj cały link, łącznie z częścią po „#”, i otwórz go ponownie.',
  notAvailable: 'Ta prośba jest niedostępna: otrzymała już odpowiedź, została anulowana lub wygasła. Poproś tę osobę o nowy link.',
  answered: 'Na tę prośbę już odpowiedziano; można na nią odpowiedzieć tylko raz.',
  empty: 'Najpierw wpisz sekret do wysłania.',
  goneMeanwhile: 'Ta prośba nie jest już dostępna: w międzyczasie otrzymała odpowiedź, została anulowana lub wygasła.',
};

export const combine: typeof En.combine = {
  title: 'Hush – otwórz podzielony sekret',
  h1: 'Otwórz sekret podzielony między kilka osób',
  lead: 'Nadawca podzielił ten sekret na linki z udziałami, po jednym dla każdego posiadacza: wystarczająca liczba udziałów razem pozwala go otworzyć. Dodawaj tu linki z udziałami jeden po drugim. Pozostają tylko na tej stronie i nic nie zostanie zużyte, dopóki nie otworzysz sekretu.',
  shareLabel: 'Link z udziałem',
  shareHelp: 'Link zawierający jeden udział: \u2066…/s/…#share.…\u2069',
  add: 'Dodaj udział',
  adding: 'Sprawdzanie…',
  sharesTitle: 'Dodane udziały',
  share: (n) => `Udział ${String(n)}`,
  remove: (n) => `Usuń udział ${String(n)}`,
  removeLabel: 'Usuń',
  progress: (have, need) =>
    plural(need, {
      one: `Dodano ${String(have)} z # potrzebnego udziału.`,
      few: `Dodano ${String(have)} z # potrzebnych udziałów.`,
      many: `Dodano ${String(have)} z # potrzebnych udziałów.`,
      other: `Dodano ${String(have)} z # potrzebnego udziału.`,
    }),
  ready: (need) =>
    plural(need, {
      one: 'Wystarczająca liczba udziałów: otwarcie sekretu zużyje # udział oraz sam sekret.',
      few: 'Wystarczająca liczba udziałów: otwarcie sekretu zużyje # udziały oraz sam sekret.',
      many: 'Wystarczająca liczba udziałów: otwarcie sekretu zużyje # udziałów oraz sam sekret.',
      other: 'Wystarczająca liczba udziałów: otwarcie sekretu zużyje # udziału oraz sam sekret.',
    }),
  passphraseHelp: 'Udziały są chronione hasłem, które nadawca przekazał ich posiadaczom innym kanałem.',
  notShare: 'To nie jest link z udziałem. Link z udziałem kończy się na „#share.”, po którym następują kolejne znaki; skopiuj cały link.',
  otherServer: 'Ten udział należy do innego serwera Hush: otwórz go tam.',
  otherSecret: 'Ten udział należy do innego podzielonego sekretu niż wcześniej dodane udziały. Nic nie zostało zużyte.',
  duplicate: 'Ten udział został już dodany.',
  shareGone: 'Tego udziału nie można już otworzyć: został użyty, wygasł lub został unieważniony. Zwróć się do nadawcy lub posiadacza innego udziału.',
  notEnough: 'Spośród dodanych udziałów zbyt mało da się jeszcze otworzyć. Nic nie zostało zużyte.',
  mismatch: 'Udziały do siebie nie pasują: jeden z nich jest uszkodzony lub należy do innego sekretu. Zwróć się do nadawcy.',
  vaultGone: 'Udziały pasują do siebie, ale samego sekretu nie można już otworzyć: został odczytany, wygasł lub został unieważniony.',
  opened: 'Sekret został usunięty z serwera, a użyte do niego udziały zostały zużyte. Jest widoczny tylko na tej stronie: skopiuj go, zanim ją opuścisz.',
  left: 'Sekret zniknął z tej strony po jej opuszczeniu i został usunięty z serwera. Jeśli nie masz jego kopii, poproś nadawcę o ponowne udostępnienie.',
};

export const age: typeof En.age = {
  title: 'Hush – sekret dla Twojego klucza age',
  h1: 'Sekret zaszyfrowany Twoim kluczem age',
  lead: 'Ten sekret można otworzyć tylko Twoją tożsamością age. Wybierz plik tożsamości: ta strona go odczyta i rozpakuje klucz sekretu, a sam plik nigdy nie opuszcza Twojego urządzenia. Nic nie zostanie wysłane ani zużyte, dopóki nie pokażesz sekretu na następnej stronie.',
  identityLabel: 'Twój plik tożsamości age',
  identityHelp: 'Plik utworzony przez age-keygen, z wierszem zaczynającym się od „AGE-SECRET-KEY-1”.',
  unlock: 'Odblokuj tym plikiem',
  unlocking: 'Odblokowywanie…',
  cli: 'W terminalu taki link otworzy też polecenie „hush open --identity FILE”.',
  noLink: 'Nie ma tu linku do otwarcia. Otwórz otrzymany link: jego strona prowadzi tutaj.',
  notAgeLink: 'To nie jest link do sekretu zaszyfrowanego kluczem age albo jest on uszkodzony. Skopiuj cały otrzymany link i otwórz go ponownie.',
  otherServer: 'Ten sekret należy do innego serwera Hush: otwórz tam jego link.',
  chooseFile: 'Najpierw wybierz swój plik tożsamości age.',
  notIdentity: 'Ten plik nie zawiera tożsamości age. Wybierz plik utworzony przez age-keygen (z wierszem zaczynającym się od „AGE-SECRET-KEY-1”), a nie klucz publiczny. Nic nie zostało zużyte.',
  wrongIdentity: 'Ta tożsamość nie otwiera tego sekretu: został zaszyfrowany innym kluczem age. Wybierz inny plik tożsamości. Nic nie zostało zużyte.',
  passphraseProtected: 'Ten plik tożsamości jest chroniony hasłem, więc ta strona nie może go otworzyć: użyj polecenia „hush open --identity FILE” albo najpierw odszyfruj plik poleceniem „age -d”. Nic nie zostało zużyte.',
  ssh: 'To jest klucz SSH. Sekrety są szyfrowane wyłącznie kluczami age: wybierz swój plik tożsamości age. Nic nie zostało zużyte.',
  postQuantum: 'Postkwantowe tożsamości age („AGE-SECRET-KEY-PQ-1…”) działają tylko z poleceniem „hush open --identity FILE”, nie w przeglądarce. Nic nie zostało zużyte.',
  plugin: 'Tożsamości wtyczek („AGE-PLUGIN-…”) nie są obsługiwane. Nic nie zostało zużyte.',
  damaged: 'Plik age w tym linku jest uszkodzony. Skopiuj cały otrzymany link i otwórz go ponownie. Nic nie zostało zużyte.',
  left: 'Link zniknął z tej strony po jej opuszczeniu. Otwórz ponownie otrzymany link.',
};

export const mine: typeof En.mine = {
  title: 'Hush – moje sekrety',
  h1: 'Moje sekrety',
  lead: 'Sekrety udostępnione po zalogowaniu: czy i kiedy zostały odczytane. Nigdy ich treść ani linki.',
  share: 'Udostępnij sekret',
  created: (when) => `Udostępniono ${when}`,
  expires: 'Wygasa',
  none: 'Nie udostępniono jeszcze żadnego sekretu po zalogowaniu albo wszystkie już zniknęły.',
  signIn: 'Zaloguj się, aby zobaczyć udostępnione sekrety',
  noSignIn: 'Ten serwer nie obsługuje logowania, więc nie ma listy Twoich sekretów. Każdy sekret ma własny link do zarządzania.',
};

export const notFound: typeof En.notFound = {
  title: 'Hush – nie znaleziono',
  h1: 'Nic tu nie ma',
  lead: 'Pod tym adresem nie ma żadnej strony. Jeśli otwierasz link do sekretu, skopiuj cały otrzymany link i otwórz go ponownie.',
  share: 'Udostępnij sekret',
};

/** Keys ("section.key") whose text is identical to the English on purpose (a brand, a code word, a loan word). */
export const same: readonly string[] = ['create.ctrl', 'create.link'];
