// Español (es): neutral international Spanish, informal “tú” as Google, Apple and Microsoft use it.
// Same keys as en.ts (the types make a missing or extra key a compile error).
import type * as En from './en.js';
import { plural } from './plural.js';

export const common: typeof En.common = {
  tag: 'secretos de un solo uso con cifrado de extremo a extremo',
  language: 'Idioma',
  copied: 'Copiado ✓',
  pressCtrlC: 'Presiona Ctrl+C para copiar',
  copiedAnnounce: (what) => `${what} copiado al portapapeles.`,
  selectedAnnounce: (what) => `${what} seleccionado: presiona Ctrl+C para copiarlo.`,
  lessThanMinute: 'menos de un minuto',
  notAvailable: 'Este secreto no está disponible. Ya se leyó, caducó o el enlace está incompleto. Pide al remitente que comparta uno nuevo.',
  network: 'No se pudo conectar con el servidor de Hush. Comprueba tu conexión y vuelve a intentarlo.',
  aMinute: 'un minuto',
  rateLimited: (wait) => `Demasiados intentos desde tu red. Vuelve a intentarlo dentro de ${wait}.`,
  wrongPassphrase: 'Frase de contraseña incorrecta.',
  wrongPassphraseLeft: (n) =>
    `Frase de contraseña incorrecta. ${plural(n, { one: 'Queda # intento', many: 'Quedan # de intentos', other: 'Quedan # intentos' })} antes de que se destruya el secreto.`,
  wrongCodeLeft: (n) =>
    `Código incorrecto o caducado. ${plural(n, { one: 'Queda # intento', many: 'Quedan # de intentos', other: 'Quedan # intentos' })} antes de que se destruya el secreto.`,
  codeRequired: 'Solo las personas que indicó el remitente pueden abrir este secreto: primero pide que te envíen un código a tu dirección de correo electrónico.',
  notYetAvailable: (when) => `Este secreto se podrá abrir a partir del ${when}.`,
  badResponse: 'El servidor envió una respuesta que esta página no entiende. Vuelve a intentarlo más tarde.',
  expired: (when) => `Este secreto caducó el ${when}.`,
  unsupportedVersion: 'Este secreto se creó con una versión más reciente de Hush. Ábrelo con una versión actualizada de Hush.',
  invalidLink: 'Este enlace está incompleto o dañado. Copia el enlace completo, incluida la parte que va después de «#», y vuelve a abrirlo.',
  decryptionFailed: 'No se pudo descifrar este secreto: el enlace o la frase de contraseña son incorrectos, o los datos están dañados.',
  unsafeParameters: 'El servidor envió parámetros de frase de contraseña que esta página se niega a usar. Pide al remitente que comparta un enlace nuevo.',
  somethingWrong: 'Algo salió mal. Vuelve a cargar la página e inténtalo de nuevo.',
};

// The create page's messages, the largest section, live in es-create.ts.
export { create } from './es-create.js';

export const open: typeof En.open = {
  title: 'Hush — un secreto para ti',
  h1: 'Alguien compartió un secreto contigo',
  passphrase: 'Frase de contraseña',
  reveal: 'Revelar secreto',
  secretTitle: 'El secreto',
  secret: 'Secreto',
  copy: 'Copiar secreto',
  own: 'Comparte tu propio secreto',
  decrypting: 'Descifrando…',
  checking: 'Comprobando la frase de contraseña…',
  enterPassphrase: 'Escribe la frase de contraseña que te dio el remitente.',
  files: 'Archivos',
  filesNote: 'Cada archivo se descarga tal como se envió; esta página nunca lo abre. Abre los archivos solo si confías en el remitente.',
};

export const reveal: typeof En.reveal = {
  intro: 'Está cifrado; la clave está en tu enlace. Al revelarlo, se descifra en este navegador y se elimina del servidor, así que cópialo en un lugar seguro.',
  passphraseHelp: 'El remitente protegió este secreto con una frase de contraseña y debería habértela dado por otro medio.',
  expiresIn: (remaining) => `Caduca en ${remaining}.`,
  once: 'Se puede abrir una sola vez.',
  moreTimes: (n) => `Se puede abrir ${plural(n, { one: 'una vez más', many: '# de veces más', other: '# veces más' })}.`,
  notBefore: (when) => `El remitente lo puso a disposición a partir del ${when}; no se puede abrir antes.`,
  deleted: 'Ya se eliminó del servidor; esta página es el único lugar donde se muestra. Cópialo antes de salir.',
  moreWithLink: (n) => `Se puede abrir ${plural(n, { one: 'una vez más', many: '# de veces más', other: '# veces más' })} con el mismo enlace.`,
  ageKey: 'Este secreto está cifrado para tu propia clave age: ábrelo con «hush open --identity FILE».',
  ageLink: 'Ábrelo aquí con tu archivo de identidad age',
  combineLink: 'Ábrelo junto con las otras partes',
  shareKey: 'Este enlace es una parte de un secreto repartido entre varias personas: solo se puede abrir junto con suficientes de las otras partes, con «hush combine LINK…». No se ha consumido nada.',
  badKey: 'Este enlace está incompleto: falta la clave que va después de «#» o está dañada. Copia el enlace completo que te enviaron y vuelve a abrirlo.',
  burned: 'Frase de contraseña incorrecta y no quedaban intentos: el secreto se ha destruido. Pide al remitente que vuelva a compartirlo.',
  burnedCode: 'Código incorrecto y no quedaban intentos: el secreto se ha destruido. Pide al remitente que vuelva a compartirlo.',
  restricted:
    'Solo las personas que indicó el remitente pueden abrir este secreto. Escribe tu dirección de correo electrónico: si el remitente la indicó, se te enviará un código.',
  email: 'Tu correo electrónico',
  sendCode: 'Enviarme un código',
  sendNewCode: 'Enviar un código nuevo',
  sending: 'Enviando…',
  codeSent: (address) =>
    `Si el remitente indicó ${address}, ya se está enviando un código a esa dirección. Puede tardar un minuto; revisa también la carpeta de spam.`,
  enterEmail: 'Escribe tu dirección de correo electrónico.',
  signIn: 'O inicia sesión aquí con la dirección que indicó el remitente: el código llegará a esta página (pestaña nueva)',
  codeGiven: (address) => `Has iniciado sesión como ${address}: el código ya está introducido.`,
  notRecipient: (address) => `Has iniciado sesión como ${address}, que el remitente no indicó: este secreto no es para esa dirección.`,
  code: 'Código del correo',
  codeHelp: 'Seis dígitos, válido durante 10 minutos y para una sola lectura. Los códigos incorrectos cuentan: después de 5, el secreto se destruye.',
  enterCode: 'Escribe el código de seis dígitos del correo.',
  leftDeleted:
    'El secreto se quitó de esta página cuando la abandonaste, y se ha eliminado del servidor. Si no lo copiaste, pide al remitente que vuelva a compartirlo.',
  leftMore: (n) =>
    `El secreto se quitó de esta página cuando la abandonaste. Se puede abrir ${plural(n, { one: 'una vez más', many: '# de veces más', other: '# veces más' })} con el enlace que te enviaron.`,
};

export const stateless: typeof En.stateless = {
  intro: 'Este es un enlace sin estado: el secreto cifrado va dentro del propio enlace. Esta página lo descifra en tu navegador y no envía nada al servidor.',
  note: 'Un enlace sin estado no se puede revocar ni limitar a una sola lectura (cualquiera que tenga el enlace puede abrirlo hasta que caduque), y es tu navegador, no un servidor, el que aplica la caducidad.',
  passphraseHelp: 'Este enlace solo se abre con la frase de contraseña que el remitente te dio por otro medio.',
  noExpiry: 'Este enlace no caduca.',
  validFor: (remaining) => `Este enlace seguirá siendo válido durante ${remaining}; hasta entonces, cualquiera que lo tenga puede abrirlo.`,
  damaged: 'Este enlace está incompleto o dañado: copia el enlace completo, incluida la parte que va después de «#», y vuelve a abrirlo.',
  wrong: 'La frase de contraseña es incorrecta o el enlace está dañado. Comprueba la frase de contraseña y vuelve a intentarlo.',
  left: 'El secreto se quitó de esta página cuando la abandonaste. Vuelve a abrir el enlace que te enviaron para leerlo.',
};

export const manage: typeof En.manage = {
  title: 'Hush — tu secreto compartido',
  h1: 'Tu secreto compartido',
  lead: 'Esta página es para el remitente. Muestra si el secreto se ha leído y te permite revocarlo. No puede mostrar el secreto en sí.',
  state: 'Estado',
  opensFor: 'Pueden abrirlo',
  onlyNamed: 'Solo las personas que indicaste, con un código enviado por correo',
  viewsLeft: 'Accesos restantes',
  expires: 'Caduca',
  expired: 'Caducado',
  keptUntil: 'Registro conservado hasta',
  live: 'Esta página se actualiza sola mientras el secreto espera.',
  revoke: 'Revocar ahora',
  refresh: 'Actualizar',
  confirm: '¿Revocar este secreto? Su texto cifrado se borra de inmediato y el enlace deja de funcionar. Esta acción no se puede deshacer.',
  yes: 'Sí, revocar',
  no: 'Conservarlo',
  another: 'Compartir otro secreto',
  revoking: 'Revocando…',
  pending: 'En espera: aún sin leer',
  consumed: 'Leído',
  expiredUnread: 'Caducado sin leerse',
  revoked: 'Revocado por ti',
  burned: 'Destruido tras demasiados intentos fallidos (frase de contraseña o código)',
  openedLast: (when) => `Abierto, por última vez el ${when}`,
  stateOn: (state, when) => `${state} el ${when}`,
  expiresIn: (when, remaining) => `${when} (en ${remaining})`,
  unknown:
    'No se sabe nada de este secreto: el enlace de gestión es incorrecto o su registro ya no existe. El registro dura hasta la caducidad del secreto; en los servidores que guardan un historial, el historial se conserva un tiempo después de que el secreto desaparezca.',
  incomplete: 'Este enlace de gestión está incompleto: falta la parte que va después de «#». Abre el enlace de gestión completo que guardaste.',
  setToExpire: 'Caducidad prevista',
  history: 'Historial',
  historyHelp:
    'Las apps de chat y los filtros de correo suelen abrir los enlaces por su cuenta para mostrar una vista previa o comprobar si contienen malware. Con eso no se lee el secreto; solo se lee al revelarlo.',
  onlyMachines: (n) =>
    plural(n, {
      one: 'Una vista previa de enlace o un escáner abrió el enlace una vez, pero nadie ha leído todavía el secreto.',
      many: 'Vistas previas de enlaces o escáneres abrieron el enlace # de veces, pero nadie ha leído todavía el secreto.',
      other: 'Vistas previas de enlaces o escáneres abrieron el enlace # veces, pero nadie ha leído todavía el secreto.',
    }),
  onlyMachinesEnded: (n) =>
    plural(n, {
      one: 'Una vista previa de enlace o un escáner abrió el enlace una vez, pero nadie leyó el secreto.',
      many: 'Vistas previas de enlaces o escáneres abrieron el enlace # de veces, pero nadie leyó el secreto.',
      other: 'Vistas previas de enlaces o escáneres abrieron el enlace # veces, pero nadie leyó el secreto.',
    }),
  readByMachine: 'Lo leyó un cliente automatizado, no una persona en un navegador. Si el destinatario no lo recibió, vuelve a compartir el secreto.',
  dropped: (n) =>
    plural(n, {
      one: '… y # evento más que el servidor no conservó.',
      many: '… y # de eventos más que el servidor no conservó.',
      other: '… y # eventos más que el servidor no conservó.',
    }),
  evCreated: (by) => `Creado ${by}`,
  evOpened: (by) => `Enlace abierto ${by}, secreto sin leer`,
  evRead: (by) => `Leído ${by}`,
  evPassphraseFailed: (by) => `Intento con frase de contraseña incorrecta ${by}`,
  evRevoked: (by) => `Revocado ${by}`,
  evOther: (type, by) => `Evento «${type}» ${by}`,
  byBrowser: 'en un navegador',
  byLinkPreview: 'por una vista previa de enlace',
  byScanner: 'por un escáner automático',
  byCli: 'con la CLI de hush',
  byApi: 'mediante la API',
  byUnknown: 'por un cliente desconocido',
  byOther: (kind) => `por un cliente de tipo «${kind}»`,
  sharesTitle: 'Partes',
  sharesHelp: 'Las partes que se usaron te indican quién participó en abrir el secreto. Si revocas el secreto más arriba, se acaba el reparto; si revocas una parte, las demás siguen siendo válidas.',
  shareState: (i, n, state) => `Parte ${String(i)} de ${String(n)}: ${state}`,
  shareUnknown: 'el servidor ya no la conoce (su registro se ha borrado)',
};

export const request: typeof En.request = {
  title: 'Hush — pide un secreto',
  h1: 'Pide un secreto a alguien',
  lead: 'Hush crea un par de claves en este navegador y un enlace para enviar. Lo que responda la otra persona se cifra para tu clave: solo este navegador puede abrirlo, no el servidor ni nadie que vea el enlace.',
  noteLabel: 'Nota para el remitente',
  optional: '(opcional)',
  noteHelp1: 'Por ejemplo, «la clave de API de preproducción, por favor». La nota ',
  notEncrypted: 'no está cifrada',
  noteHelp2: ': el servidor puede leerla. Nunca pongas un secreto en ella.',
  ttlLabel: 'La solicitud caduca tras',
  hour1: '1 hora',
  hours24: '24 horas',
  days7: '7 días',
  make: 'Crear enlace de solicitud',
  making: 'Creando la clave…',
  madeTitle: 'Envía este enlace a la persona que tiene el secreto',
  linkLabel: 'Enlace de solicitud',
  copy: 'Copiar',
  keepOpen: 'Mantén esta página abierta o vuelve a esta dirección en este navegador: la respuesta solo se puede descifrar aquí.',
  pendingTitle: 'Tus solicitudes',
  answerTitle: 'El secreto que pediste',
  secretLabel: 'Secreto',
  answerHelp: 'Se ha eliminado del servidor, y la clave que lo abrió, de este navegador.',
  shareInstead: 'Compartir un secreto en su lugar',
  untitled: 'Solicitud',
  waiting: 'esperando la respuesta',
  waitingFor: (left) => `esperando la respuesta (caduca en ${left})`,
  line: (what, state) => `${what} — ${state}. `,
  cancel: 'Cancelar',
  turnstile: 'Este servidor usa Turnstile para comprobar que eres una persona, algo que la página de solicitudes aún no admite. Usa hush request en una terminal.',
  linkWhat: 'Enlace de solicitud',
  secretWhat: 'Secreto',
};

export const respond: typeof En.respond = {
  title: 'Hush — alguien te pide un secreto',
  h1: 'Alguien te pide un secreto',
  lead: 'Lo que envíes se cifra en este navegador para la clave del solicitante: solo esa persona puede abrirlo, una vez.',
  checking: 'Comprobando la solicitud…',
  theirNote: 'Su nota',
  noteNotEncrypted: '(sin cifrar: el servidor puede leerla)',
  expiresIn: (left) => `La solicitud caduca en ${left}.`,
  secretLabel: 'Secreto',
  send: 'Enviar de forma segura',
  sending: 'Cifrando…',
  sent: 'Enviado. Está cifrado para la clave del solicitante; solo esa persona puede abrirlo, una vez. Ya puedes cerrar esta página.',
  ownLink: 'Comparte tu propio secreto',
  mismatch:
    'Atención: la clave que da este servidor para la solicitud no coincide con el enlace. Puede que alguien esté intentando leer tu respuesta. No se envió nada; avisa al solicitante.',
  damaged: 'Este enlace de solicitud está incompleto o dañado: copia el enlace completo, incluida la parte que va después de «#», y vuelve a abrirlo.',
  notAvailable: 'Esta solicitud no está disponible: ya se respondió, se canceló o caducó. Pide al solicitante un enlace nuevo.',
  answered: 'Esta solicitud ya se respondió; solo admite una respuesta.',
  empty: 'Primero escribe el secreto que quieres enviar.',
  goneMeanwhile: 'Esta solicitud ya no está disponible: mientras tanto se respondió, se canceló o caducó.',
};

export const combine: typeof En.combine = {
  title: 'Hush — abre un secreto repartido',
  h1: 'Abre un secreto repartido entre varias personas',
  lead: 'El remitente dividió este secreto en enlaces de parte, uno para cada titular: con suficientes de ellos juntos se abre. Agrega aquí los enlaces de parte uno a uno. Solo se quedan en esta página, y no se consume nada hasta que abras el secreto.',
  shareLabel: 'Enlace de parte',
  shareHelp: 'Un enlace que contiene una parte: \u2066…/s/…#share.…\u2069',
  add: 'Agregar',
  adding: 'Comprobando…',
  sharesTitle: 'Partes agregadas',
  share: (n) => `Parte ${String(n)}`,
  remove: (n) => `Quitar la parte ${String(n)}`,
  removeLabel: 'Quitar',
  progress: (have, need) =>
    plural(need, {
      one: `${String(have)} de # parte necesaria.`,
      many: `${String(have)} de # de partes necesarias.`,
      other: `${String(have)} de # partes necesarias.`,
    }),
  ready: (need) =>
    plural(need, {
      one: 'Hay suficientes partes: al abrir el secreto se consumirán # parte y el propio secreto.',
      many: 'Hay suficientes partes: al abrir el secreto se consumirán # de ellas y el propio secreto.',
      other: 'Hay suficientes partes: al abrir el secreto se consumirán # de ellas y el propio secreto.',
    }),
  passphraseHelp: 'Las partes están protegidas con una frase de contraseña que el remitente dio a sus titulares por otro medio.',
  notShare: 'Esto no es un enlace de parte. Un enlace de parte termina en «#share.» seguido de más caracteres; copia el enlace completo.',
  otherServer: 'Esta parte pertenece a otro servidor de Hush: ábrela allí.',
  otherSecret: 'Esta parte pertenece a un secreto repartido distinto del de las partes que agregaste antes. No se ha consumido nada.',
  duplicate: 'Esta parte ya está agregada.',
  shareGone: 'Esta parte ya no se puede abrir: ya se usó, caducó o se revocó. Consulta al remitente o a otro titular.',
  notEnough: 'De las partes agregadas, no quedan suficientes que aún se puedan abrir. No se ha consumido nada.',
  mismatch: 'Las partes no encajan: una de ellas está dañada o pertenece a otro secreto. Consulta al remitente.',
  vaultGone: 'Las partes encajan, pero el secreto en sí ya no se puede abrir: ya se leyó, caducó o se revocó.',
  opened: 'El secreto se ha eliminado del servidor y las partes usadas para abrirlo se han consumido. Esta página es el único lugar donde se muestra: cópialo antes de salir.',
  left: 'El secreto se quitó de esta página cuando la abandonaste, y también del servidor. Si no lo copiaste, pide al remitente que vuelva a compartirlo.',
};

/** The age page (/a): a secret whose link key is wrapped to the reader's age key, unwrapped with their identity file (docs/protocol.md §14). */
export const age: typeof En.age = {
  title: 'Hush — un secreto para tu clave age',
  h1: 'Un secreto cifrado para tu clave age',
  lead: 'Solo tu identidad age abre este secreto. Elige tu archivo de identidad: esta página lo lee y descifra la clave del secreto, y el archivo nunca sale de tu dispositivo. No se envía ni se consume nada hasta que reveles el secreto en la página siguiente.',
  identityLabel: 'Tu archivo de identidad age',
  identityHelp: 'El archivo que generó age-keygen, con una línea que empieza por «AGE-SECRET-KEY-1».',
  unlock: 'Desbloquear con este archivo',
  unlocking: 'Desbloqueando…',
  cli: 'En una terminal, «hush open --identity FILE» también abre este tipo de enlace.',
  noLink: 'Aquí no hay ningún enlace que abrir. Abre el enlace que te enviaron: su página te trae hasta aquí.',
  notAgeLink: 'Este no es el enlace de un secreto cifrado para una clave age, o está dañado. Copia el enlace completo que te enviaron y vuelve a abrirlo.',
  otherServer: 'Este secreto pertenece a otro servidor de Hush: abre su enlace allí.',
  chooseFile: 'Primero elige tu archivo de identidad age.',
  notIdentity: 'Este archivo no contiene ninguna identidad age. Elige el archivo que generó age-keygen (con una línea que empieza por «AGE-SECRET-KEY-1»), no la clave pública. No se ha consumido nada.',
  wrongIdentity: 'Esta identidad no abre este secreto: se cifró para otra clave age. Elige otro archivo de identidad. No se ha consumido nada.',
  passphraseProtected: 'Este archivo de identidad está protegido con una frase de contraseña y esta página no puede abrirlo: usa «hush open --identity FILE» o descifra antes el archivo con «age -d». No se ha consumido nada.',
  ssh: 'Esta es una clave SSH. Los secretos solo se cifran para claves age: elige tu archivo de identidad age. No se ha consumido nada.',
  postQuantum: 'Las identidades age poscuánticas («AGE-SECRET-KEY-PQ-1…») solo se abren con «hush open --identity FILE», no en el navegador. No se ha consumido nada.',
  plugin: 'No se admiten las identidades de plugin («AGE-PLUGIN-…»). No se ha consumido nada.',
  damaged: 'El archivo age de este enlace está dañado. Copia el enlace completo que te enviaron y vuelve a abrirlo. No se ha consumido nada.',
  left: 'El enlace se quitó de esta página cuando la abandonaste. Vuelve a abrir el enlace que te enviaron.',
};

export const mine: typeof En.mine = {
  title: 'Hush — mis secretos',
  h1: 'Mis secretos',
  lead: 'Los secretos que compartiste con la sesión iniciada: si se leyeron y cuándo. Nunca su contenido ni sus enlaces.',
  share: 'Compartir un secreto',
  created: (when) => `Compartido el ${when}`,
  expires: 'Caduca',
  none: 'Aún no has compartido ningún secreto con la sesión iniciada, o ya no queda ninguno.',
  signIn: 'Inicia sesión para ver los secretos que compartiste',
  noSignIn: 'Este servidor no tiene inicio de sesión, así que no hay una lista de tus secretos. Cada secreto tiene su propio enlace de gestión.',
};

export const notFound: typeof En.notFound = {
  title: 'Hush — página no encontrada',
  h1: 'Aquí no hay nada',
  lead: 'No hay ninguna página en esta dirección. Si seguiste un enlace a un secreto, copia el enlace completo que te enviaron y vuelve a abrirlo.',
  share: 'Compartir un secreto',
};

/** Keys ("section.key") whose text is identical to the English on purpose: the key's label as Spanish keyboards print it. */
export const same: readonly string[] = ['create.ctrl'];
