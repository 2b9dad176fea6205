// Português (Brasil), register "você" (as Google, Apple and Microsoft write pt-BR). Same keys as en.ts
// (the types make a missing or extra key a compile error). Plural categories for pt: one (0 and 1),
// many (millions: "1.000.000 de vezes"), other.
import type * as En from './en.js';
import { plural } from './plural.js';

export const common: typeof En.common = {
  tag: 'segredos de uso único com criptografia de ponta a ponta',
  language: 'Idioma',
  copied: 'Copiado ✓',
  pressCtrlC: 'Pressione Ctrl+C para copiar',
  copiedAnnounce: (what) => `${what} copiado para a área de transferência.`,
  selectedAnnounce: (what) => `${what} selecionado: pressione Ctrl+C para copiar.`,
  lessThanMinute: 'menos de um minuto',
  notAvailable: 'Este segredo não está disponível. Ele já foi lido, expirou ou o link está incompleto. Peça ao remetente que compartilhe um novo.',
  network: 'Não foi possível acessar o servidor do Hush. Verifique sua conexão e tente novamente.',
  aMinute: 'um minuto',
  rateLimited: (wait) => `Muitas tentativas a partir da sua rede. Tente novamente em ${wait}.`,
  wrongPassphrase: 'Frase secreta incorreta.',
  wrongPassphraseLeft: (n) =>
    `Frase secreta incorreta. ${plural(n, { one: 'Resta # tentativa', many: 'Restam # de tentativas', other: 'Restam # tentativas' })} antes de o segredo ser destruído.`,
  wrongCodeLeft: (n) =>
    `Código incorreto ou expirado. ${plural(n, { one: 'Resta # tentativa', many: 'Restam # de tentativas', other: 'Restam # tentativas' })} antes de o segredo ser destruído.`,
  codeRequired: 'Só as pessoas indicadas pelo remetente podem abrir este segredo: primeiro, solicite um código no seu endereço de e-mail.',
  notYetAvailable: (when) => `Este segredo poderá ser aberto a partir de ${when}.`,
  badResponse: 'O servidor enviou uma resposta que esta página não entende. Tente novamente mais tarde.',
  expired: (when) => `Este segredo expirou em ${when}.`,
  unsupportedVersion: 'Este segredo foi criado por uma versão mais recente do Hush. Abra-o com um Hush atualizado.',
  invalidLink: 'Este link está incompleto ou danificado. Copie o link inteiro, incluindo a parte depois do “#”, e abra-o novamente.',
  decryptionFailed: 'Não foi possível descriptografar este segredo: o link ou a frase secreta estão errados, ou os dados foram danificados.',
  unsafeParameters: 'O servidor enviou parâmetros de frase secreta que esta página se recusa a usar. Peça ao remetente que compartilhe um novo link.',
  somethingWrong: 'Algo deu errado. Recarregue a página e tente novamente.',
};

// The create page's messages, the largest section, live in pt-BR-create.ts.
export { create } from './pt-BR-create.js';

export const open: typeof En.open = {
  title: 'Hush — um segredo para você',
  h1: 'Alguém compartilhou um segredo com você',
  passphrase: 'Frase secreta',
  reveal: 'Revelar segredo',
  secretTitle: 'O segredo',
  secret: 'Segredo',
  copy: 'Copiar segredo',
  own: 'Compartilhe seu próprio segredo',
  decrypting: 'Descriptografando…',
  checking: 'Verificando a frase secreta…',
  enterPassphrase: 'Digite a frase secreta que o remetente passou para você.',
  files: 'Arquivos',
  filesNote: 'Cada arquivo é baixado exatamente como foi enviado; esta página nunca o abre. Só abra arquivos se você confiar no remetente.',
};

export const reveal: typeof En.reveal = {
  intro: 'O segredo está criptografado; a chave está no seu link. Ao revelá-lo, ele é descriptografado neste navegador e excluído do servidor, então copie-o para um lugar seguro.',
  passphraseHelp: 'O remetente protegeu este segredo com uma frase secreta, que deve ter passado para você por outro meio.',
  expiresIn: (remaining) => `Expira em ${remaining}.`,
  once: 'Pode ser aberto uma vez.',
  moreTimes: (n) => `Ainda pode ser aberto ${plural(n, { one: '# vez', many: '# de vezes', other: '# vezes' })}.`,
  notBefore: (when) => `O remetente o liberou a partir de ${when}; antes disso, ele não pode ser aberto.`,
  deleted: 'Ele já foi excluído do servidor; esta página é o único lugar onde ele aparece. Copie-o antes de sair.',
  moreWithLink: (n) => `Ainda pode ser aberto mais ${plural(n, { one: '# vez', many: '# de vezes', other: '# vezes' })} com o mesmo link.`,
  ageKey: 'Este segredo foi criptografado para a sua própria chave age: abra-o com “hush open --identity FILE”.',
  ageLink: 'Abrir aqui com seu arquivo de identidade age',
  combineLink: 'Abrir junto com as outras partes',
  shareKey: 'Este link é uma parte de um segredo dividido entre várias pessoas: ele só pode ser aberto junto com um número suficiente das outras partes, com “hush combine LINK…”. Nada foi consumido.',
  badKey: 'Este link está incompleto: a chave depois do “#” está faltando ou danificada. Copie o link inteiro que você recebeu e abra-o novamente.',
  burned: 'Frase secreta incorreta e nenhuma tentativa restante: o segredo foi destruído. Peça ao remetente que o compartilhe novamente.',
  burnedCode: 'Código incorreto e nenhuma tentativa restante: o segredo foi destruído. Peça ao remetente que o compartilhe novamente.',
  restricted: 'Só as pessoas indicadas pelo remetente podem abrir este segredo. Digite seu endereço de e-mail: se o remetente o indicou, um código será enviado para ele.',
  email: 'Seu endereço de e-mail',
  sendCode: 'Enviar código',
  sendNewCode: 'Enviar novo código',
  sending: 'Enviando…',
  codeSent: (address) => `Se o remetente indicou ${address}, um código está a caminho. Isso pode levar um minuto; confira também a pasta de spam.`,
  enterEmail: 'Digite seu endereço de e-mail.',
  signIn: 'Ou faça login aqui com o endereço indicado pelo remetente: o código então aparece nesta página (nova guia)',
  codeGiven: (address) => `Você fez login como ${address}: o código já foi preenchido.`,
  notRecipient: (address) => `Você fez login como ${address}, que o remetente não indicou: este segredo não é para esse endereço.`,
  code: 'Código do e-mail',
  codeHelp: 'Código de seis dígitos, válido por 10 minutos e para uma única leitura. Códigos errados contam: depois de 5, o segredo é destruído.',
  enterCode: 'Digite o código de seis dígitos do e-mail.',
  leftDeleted:
    'O segredo foi removido desta página quando você saiu dela, e ele já foi excluído do servidor. Se você não o copiou, peça ao remetente que o compartilhe novamente.',
  leftMore: (n) =>
    `O segredo foi removido desta página quando você saiu dela. Ele ainda pode ser aberto mais ${plural(n, { one: '# vez', many: '# de vezes', other: '# vezes' })} com o link que você recebeu.`,
};

export const stateless: typeof En.stateless = {
  intro: 'Este é um link autocontido: o segredo criptografado está dentro do próprio link. Esta página o descriptografa no seu navegador e não envia nada ao servidor.',
  note: 'Um link autocontido não pode ser revogado nem limitado a uma leitura — qualquer pessoa que tenha o link pode abri-lo até ele expirar — e a expiração é controlada pelo seu navegador, não por um servidor.',
  passphraseHelp: 'Este link só abre com a frase secreta que o remetente passou para você por outro meio.',
  noExpiry: 'Este link não expira.',
  validFor: (remaining) => `Este link ainda vale por ${remaining}; até lá, qualquer pessoa que o tenha pode abri-lo.`,
  damaged: 'Este link está incompleto ou danificado: copie o link inteiro, incluindo a parte depois do “#”, e abra-o novamente.',
  wrong: 'Frase secreta incorreta ou link danificado. Confira a frase secreta e tente novamente.',
  left: 'O segredo foi removido desta página quando você saiu dela. Abra novamente o link que você recebeu para lê-lo.',
};

export const manage: typeof En.manage = {
  title: 'Hush — seu segredo compartilhado',
  h1: 'Seu segredo compartilhado',
  lead: 'Esta página é para o remetente. Ela mostra se o segredo já foi lido e permite revogá-lo. Ela não tem como mostrar o segredo em si.',
  state: 'Status',
  opensFor: 'Quem pode abrir',
  onlyNamed: 'Só as pessoas que você indicou, com um código enviado por e-mail',
  viewsLeft: 'Visualizações restantes',
  expires: 'Expira em',
  expired: 'Expirou',
  keptUntil: 'Registro mantido até',
  live: 'Esta página se atualiza sozinha enquanto o segredo aguarda.',
  revoke: 'Revogar agora',
  refresh: 'Atualizar',
  confirm: 'Revogar este segredo? O texto cifrado é apagado na hora e o link deixa de funcionar. Não é possível desfazer essa ação.',
  yes: 'Sim, revogar',
  no: 'Manter',
  another: 'Compartilhar outro segredo',
  revoking: 'Revogando…',
  pending: 'Aguardando — ainda não lido',
  consumed: 'Lido',
  expiredUnread: 'Expirou sem ser lido',
  revoked: 'Revogado por você',
  burned: 'Destruído após tentativas demais com frase secreta ou código errado',
  openedLast: (when) => `Aberto, pela última vez em ${when}`,
  stateOn: (state, when) => `${state} em ${when}`,
  expiresIn: (when, remaining) => `${when} (em ${remaining})`,
  unknown:
    'Não há nenhuma informação sobre este segredo: o link de gerenciamento está errado ou o registro dele não existe mais. O registro dura até a expiração do segredo; nos servidores que mantêm um histórico, o histórico é guardado por um tempo depois que o segredo deixa de existir.',
  incomplete: 'Este link de gerenciamento está incompleto: falta a parte depois do “#”. Abra o link de gerenciamento inteiro que você guardou.',
  setToExpire: 'Expiração prevista',
  history: 'Histórico',
  historyHelp:
    'Apps de chat e filtros de e-mail costumam abrir links sozinhos, para mostrar uma prévia ou verificar se há malware. Isso não lê o segredo: ele só é lido quando alguém o revela.',
  onlyMachines: (n) =>
    plural(n, {
      one: 'O link foi aberto # vez por uma prévia de link ou um scanner, mas ninguém o leu ainda.',
      many: 'O link foi aberto # de vezes por prévias de link ou scanners, mas ninguém o leu ainda.',
      other: 'O link foi aberto # vezes por prévias de link ou scanners, mas ninguém o leu ainda.',
    }),
  onlyMachinesEnded: (n) =>
    plural(n, {
      one: 'O link foi aberto # vez por uma prévia de link ou um scanner, mas ninguém o leu.',
      many: 'O link foi aberto # de vezes por prévias de link ou scanners, mas ninguém o leu.',
      other: 'O link foi aberto # vezes por prévias de link ou scanners, mas ninguém o leu.',
    }),
  readByMachine: 'Ele foi lido por um cliente automatizado, não por uma pessoa em um navegador. Se o destinatário não o recebeu, compartilhe o segredo novamente.',
  dropped: (n) =>
    plural(n, {
      one: '… e mais # evento que o servidor não guardou.',
      many: '… e mais # de eventos que o servidor não guardou.',
      other: '… e mais # eventos que o servidor não guardou.',
    }),
  evCreated: (by) => `Criado ${by}`,
  evOpened: (by) => `Link aberto ${by} — não lido`,
  evRead: (by) => `Lido ${by}`,
  evPassphraseFailed: (by) => `Tentativa com frase secreta incorreta ${by}`,
  evRevoked: (by) => `Revogado ${by}`,
  evOther: (type, by) => `Evento “${type}” ${by}`,
  byBrowser: 'em um navegador',
  byLinkPreview: 'por uma prévia de link',
  byScanner: 'por um scanner automático',
  byCli: 'pela CLI do hush',
  byApi: 'pela API',
  byUnknown: 'por um cliente desconhecido',
  byOther: (kind) => `por um cliente do tipo “${kind}”`,
  sharesTitle: 'Partes',
  sharesHelp: 'As partes usadas mostram quem participou da abertura do segredo. Revogar o segredo acima encerra a divisão; revogar uma parte não afeta as outras.',
  shareState: (i, n, state) => `Parte ${String(i)} de ${String(n)}: ${state}`,
  shareUnknown: 'o servidor não a conhece mais (o registro dela foi excluído)',
};

export const request: typeof En.request = {
  title: 'Hush — peça um segredo',
  h1: 'Peça um segredo a alguém',
  lead: 'O Hush gera um par de chaves neste navegador e um link para você enviar. A resposta da outra pessoa é criptografada para a sua chave: só este navegador consegue abri-la — nem o servidor, nem quem vir o link.',
  noteLabel: 'Nota para o remetente',
  optional: '(opcional)',
  noteHelp1: 'Por exemplo, “a chave de API de staging, por favor”. A nota ',
  notEncrypted: 'não é criptografada',
  noteHelp2: ': o servidor pode lê-la. Nunca coloque um segredo nela.',
  ttlLabel: 'A solicitação expira após',
  hour1: '1 hora',
  hours24: '24 horas',
  days7: '7 dias',
  make: 'Criar link de solicitação',
  making: 'Gerando a chave…',
  madeTitle: 'Envie este link à pessoa que tem o segredo',
  linkLabel: 'Link de solicitação',
  copy: 'Copiar',
  keepOpen: 'Mantenha esta página aberta ou volte a este endereço neste navegador: a resposta só pode ser descriptografada aqui.',
  pendingTitle: 'Suas solicitações',
  answerTitle: 'O segredo que você pediu',
  secretLabel: 'Segredo',
  answerHelp: 'Ele foi excluído do servidor, e a chave que o abriu foi apagada deste navegador.',
  shareInstead: 'Ou compartilhe um segredo',
  untitled: 'Solicitação',
  waiting: 'aguardando a resposta',
  waitingFor: (left) => `aguardando a resposta (expira em ${left})`,
  line: (what, state) => `${what} — ${state}. `,
  cancel: 'Cancelar',
  turnstile:
    'Este servidor usa o Turnstile para confirmar que há uma pessoa do outro lado, e a página de solicitação ainda não oferece suporte a isso. Use hush request em um terminal.',
  linkWhat: 'Link de solicitação',
  secretWhat: 'Segredo',
};

export const respond: typeof En.respond = {
  title: 'Hush — alguém está pedindo um segredo a você',
  h1: 'Alguém está pedindo um segredo a você',
  lead: 'O que você enviar será criptografado neste navegador para a chave do solicitante: só essa pessoa poderá abri-lo, uma única vez.',
  checking: 'Verificando a solicitação…',
  theirNote: 'Nota do solicitante',
  noteNotEncrypted: '(não criptografada: o servidor pode lê-la)',
  expiresIn: (left) => `A solicitação expira em ${left}.`,
  secretLabel: 'Segredo',
  send: 'Enviar com segurança',
  sending: 'Criptografando…',
  sent: 'Enviado. Ele foi criptografado para a chave do solicitante; só essa pessoa pode abri-lo, uma única vez. Você já pode fechar esta página.',
  ownLink: 'Compartilhe seu próprio segredo',
  mismatch:
    'Atenção: a chave que este servidor informa para a solicitação não corresponde ao link. Alguém pode estar tentando ler sua resposta. Nada foi enviado; avise o solicitante.',
  damaged: 'Este link de solicitação está incompleto ou danificado: copie o link inteiro, incluindo a parte depois do “#”, e abra-o novamente.',
  notAvailable: 'Esta solicitação não está disponível: ela foi respondida, cancelada ou expirou. Peça um novo link ao solicitante.',
  answered: 'Esta solicitação já foi respondida; ela aceita apenas uma resposta.',
  empty: 'Primeiro, escreva o segredo a enviar.',
  goneMeanwhile: 'Esta solicitação não está mais disponível: nesse meio-tempo, ela foi respondida, cancelada ou expirou.',
};

export const combine: typeof En.combine = {
  title: 'Hush — abra um segredo dividido',
  h1: 'Abrir um segredo dividido entre várias pessoas',
  lead: 'O remetente dividiu este segredo em partes, cada uma em um link entregue a uma pessoa diferente: com partes suficientes juntas, o segredo se abre. Adicione aqui os links das partes, um por um. Eles ficam só nesta página, e nada é consumido até você abrir o segredo.',
  shareLabel: 'Link da parte',
  shareHelp: 'Um link que contém uma parte: \u2066…/s/…#share.…\u2069',
  add: 'Adicionar parte',
  adding: 'Verificando…',
  sharesTitle: 'Partes adicionadas',
  share: (n) => `Parte ${String(n)}`,
  remove: (n) => `Remover parte ${String(n)}`,
  removeLabel: 'Remover',
  progress: (have, need) =>
    plural(need, {
      one: `${String(have)} de # parte necessária.`,
      many: `${String(have)} de # de partes necessárias.`,
      other: `${String(have)} de # partes necessárias.`,
    }),
  ready: (need) =>
    plural(need, {
      one: 'Já há partes suficientes: abrir o segredo consome # parte e o próprio segredo.',
      many: 'Já há partes suficientes: abrir o segredo consome # delas e o próprio segredo.',
      other: 'Já há partes suficientes: abrir o segredo consome # delas e o próprio segredo.',
    }),
  passphraseHelp: 'As partes estão protegidas por uma frase secreta, que o remetente passou por outro meio às pessoas que as receberam.',
  notShare: 'Este não é um link de parte. Um link de parte termina em “#share.” seguido de mais caracteres; copie o link inteiro.',
  otherServer: 'Esta parte pertence a outro servidor do Hush: abra-a lá.',
  otherSecret: 'Esta parte pertence a um segredo dividido diferente do das partes adicionadas antes. Nada foi consumido.',
  duplicate: 'Esta parte já foi adicionada.',
  shareGone: 'Esta parte não pode mais ser aberta: ela já foi usada, expirou ou foi revogada. Fale com o remetente ou com outra pessoa que tenha uma parte.',
  notEnough: 'Não há partes adicionadas suficientes que ainda possam ser abertas. Nada foi consumido.',
  mismatch: 'As partes não se encaixam: uma delas está danificada ou pertence a outro segredo. Fale com o remetente.',
  vaultGone: 'As partes se encaixam, mas o próprio segredo não pode mais ser aberto: ele já foi lido, expirou ou foi revogado.',
  opened: 'O segredo foi excluído do servidor, e as partes usadas para abri-lo foram consumidas. Esta página é o único lugar onde ele aparece: copie-o antes de sair.',
  left: 'O segredo foi removido desta página quando você saiu dela, e também do servidor. Se você não o copiou, peça ao remetente que o compartilhe novamente.',
};

/** The age page (/a): a secret whose link key is wrapped to the reader's age key, unwrapped with their identity file (docs/protocol.md §14). */
export const age: typeof En.age = {
  title: 'Hush — um segredo para a sua chave age',
  h1: 'Um segredo criptografado para a sua chave age',
  lead: 'Só a sua identidade age abre este segredo. Escolha seu arquivo de identidade: esta página o lê e descriptografa com ele a chave do segredo, e o arquivo nunca sai do seu dispositivo. Nada é enviado nem consumido até você revelar o segredo na próxima página.',
  identityLabel: 'Seu arquivo de identidade age',
  identityHelp: 'O arquivo gerado pelo age-keygen, com uma linha que começa com “AGE-SECRET-KEY-1”.',
  unlock: 'Desbloquear com este arquivo',
  unlocking: 'Desbloqueando…',
  cli: 'Em um terminal, “hush open --identity FILE” também abre um link desse tipo.',
  noLink: 'Não há nenhum link para abrir aqui. Abra o link que você recebeu: a página dele traz você até aqui.',
  notAgeLink: 'Este não é o link de um segredo criptografado para uma chave age, ou ele está danificado. Copie o link inteiro que você recebeu e abra-o novamente.',
  otherServer: 'Este segredo pertence a outro servidor do Hush: abra o link dele lá.',
  chooseFile: 'Primeiro, escolha seu arquivo de identidade age.',
  notIdentity: 'Este arquivo não contém nenhuma identidade age. Escolha o arquivo gerado pelo age-keygen (com uma linha que começa com “AGE-SECRET-KEY-1”), não a chave pública. Nada foi consumido.',
  wrongIdentity: 'Esta identidade não abre este segredo: ele foi criptografado para outra chave age. Escolha outro arquivo de identidade. Nada foi consumido.',
  passphraseProtected: 'Este arquivo de identidade está protegido por uma frase secreta, que esta página não consegue abrir: use “hush open --identity FILE” ou, antes, descriptografe o arquivo com “age -d”. Nada foi consumido.',
  ssh: 'Esta é uma chave SSH. Os segredos só são criptografados para chaves age: escolha seu arquivo de identidade age. Nada foi consumido.',
  postQuantum: 'Identidades age pós-quânticas (“AGE-SECRET-KEY-PQ-1…”) só abrem com “hush open --identity FILE”, não no navegador. Nada foi consumido.',
  plugin: 'Identidades de plugin (“AGE-PLUGIN-…”) não são compatíveis. Nada foi consumido.',
  damaged: 'O arquivo age neste link está danificado. Copie o link inteiro que você recebeu e abra-o novamente. Nada foi consumido.',
  left: 'O link foi removido desta página quando você saiu dela. Abra novamente o link que você recebeu.',
};

export const mine: typeof En.mine = {
  title: 'Hush — meus segredos',
  h1: 'Meus segredos',
  lead: 'Os segredos que você compartilhou depois de fazer login: se foram lidos e quando. Nunca o conteúdo nem os links deles.',
  share: 'Compartilhar um segredo',
  created: (when) => `Compartilhado em ${when}`,
  expires: 'Expira em',
  none: 'Você ainda não compartilhou nenhum segredo depois de fazer login, ou todos já foram excluídos.',
  signIn: 'Faça login para ver os segredos que você compartilhou',
  noSignIn: 'Este servidor não tem login: não existe uma lista dos seus segredos. Cada segredo tem seu próprio link de gerenciamento.',
};

export const notFound: typeof En.notFound = {
  title: 'Hush — página não encontrada',
  h1: 'Não há nada aqui',
  lead: 'Não existe nenhuma página neste endereço. Se você seguiu um link para um segredo, copie o link inteiro que recebeu e abra-o novamente.',
  share: 'Compartilhar um segredo',
};

/** Keys ("section.key") whose text is identical to the English on purpose (a brand, a code word, a loan word). */
export const same: readonly string[] = ['create.ctrl', 'create.link'];
