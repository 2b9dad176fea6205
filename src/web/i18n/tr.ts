// Türkçe (tr): metinlerde "siz" hitabı, düğmelerde yalın emir kipi (Google, Microsoft, Apple gibi). Same keys as en.ts (the types make a missing or extra key a compile error).
import type * as En from './en.js';
import { plural } from './plural.js';
import { cap, low } from './tr-words.js';

export const common: typeof En.common = {
  tag: 'uçtan uca şifrelenmiş, tek seferlik sırlar',
  language: 'Dil',
  copied: 'Kopyalandı ✓',
  pressCtrlC: 'Kopyalamak için Ctrl+C’ye basın',
  copiedAnnounce: (what) => `${what} panoya kopyalandı.`,
  selectedAnnounce: (what) => `${what} seçildi: kopyalamak için Ctrl+C’ye basın.`,
  lessThanMinute: 'bir dakikadan az',
  notAvailable:
    'Bu sır kullanılamıyor. Daha önce okunmuş, süresi dolmuş ya da bağlantı eksik olabilir. Gönderen kişiden yeni bir sır paylaşmasını isteyin.',
  network: 'Hush sunucusuna ulaşılamadı. Bağlantınızı kontrol edip tekrar deneyin.',
  aMinute: 'bir dakika',
  rateLimited: (wait) => `Ağınızdan çok fazla deneme yapıldı. Lütfen ${wait} sonra tekrar deneyin.`,
  wrongPassphrase: 'Yanlış parola.',
  wrongPassphraseLeft: (n) => `Yanlış parola. Sır yok edilmeden önce ${plural(n, { one: '# deneme hakkınız', other: '# deneme hakkınız' })} kaldı.`,
  wrongCodeLeft: (n) => `Kod yanlış veya süresi dolmuş. Sır yok edilmeden önce ${plural(n, { one: '# deneme hakkınız', other: '# deneme hakkınız' })} kaldı.`,
  codeRequired: 'Bu sırrı yalnızca gönderenin belirttiği kişiler açabilir: önce e-posta adresinize bir kod isteyin.',
  notYetAvailable: (when) => `Bu sır ${when} tarihinden itibaren açılabilir.`,
  badResponse: 'Sunucu, bu sayfanın anlamadığı bir yanıt verdi. Daha sonra tekrar deneyin.',
  expired: (when) => `Bu sırrın süresi ${when} tarihinde doldu.`,
  unsupportedVersion: 'Bu sır, Hush’ın daha yeni bir sürümüyle oluşturulmuş. Güncel bir Hush sürümüyle açın.',
  invalidLink: 'Bu bağlantı eksik veya bozuk. Bağlantının tamamını, “#” işaretinden sonraki kısım dahil kopyalayıp yeniden açın.',
  decryptionFailed: 'Bu sırrın şifresi çözülemedi: bağlantı veya parola yanlış ya da veriler bozulmuş.',
  unsafeParameters: 'Sunucu, bu sayfanın kullanmayı reddettiği parola parametreleri gönderdi. Gönderen kişiden yeni bir bağlantı paylaşmasını isteyin.',
  somethingWrong: 'Bir sorun oluştu. Sayfayı yeniden yükleyip tekrar deneyin.',
};

// The create page's messages, the largest section, live in tr-create.ts.
export { create } from './tr-create.js';

export const open: typeof En.open = {
  title: 'Hush — sizin için bir sır',
  h1: 'Biri sizinle bir sır paylaştı',
  passphrase: 'Parola',
  reveal: 'Sırrı göster',
  secretTitle: 'Sır',
  secret: 'Sır',
  copy: 'Sırrı kopyala',
  own: 'Siz de bir sır paylaşın',
  decrypting: 'Şifre çözülüyor…',
  checking: 'Parola kontrol ediliyor…',
  enterPassphrase: 'Gönderenin size verdiği parolayı girin.',
  files: 'Dosyalar',
  filesNote: 'Her dosya, gönderildiği haliyle indirilir; bu sayfa dosyaları asla açmaz. Dosyaları yalnızca gönderene güveniyorsanız açın.',
};

export const reveal: typeof En.reveal = {
  intro: 'Sır şifrelidir; anahtar bağlantınızda bulunur. Sırrı gösterdiğinizde şifresi bu tarayıcıda çözülür ve sır sunucudan silinir; bu yüzden onu güvenli bir yere kopyalayın.',
  passphraseHelp: 'Gönderen bu sırrı bir parolayla korudu; parolayı size başka bir yoldan iletmiş olmalı.',
  expiresIn: (remaining) => `Süresinin dolmasına ${remaining} kaldı.`,
  once: 'Bir kez açılabilir.',
  moreTimes: (n) => `${plural(n, { one: '# kez daha', other: '# kez daha' })} açılabilir.`,
  notBefore: (when) => `Gönderen bu sırrı ${when} tarihinden itibaren erişime açtı; bu tarihten önce açılamaz.`,
  deleted: 'Sır artık sunucudan silindi; yalnızca bu sayfada gösteriliyor. Ayrılmadan önce kopyalayın.',
  moreWithLink: (n) => `Aynı bağlantıyla ${plural(n, { one: '# kez daha', other: '# kez daha' })} açılabilir.`,
  ageKey: 'Bu sır, kendi age anahtarınızla şifrelenmiş: “hush open --identity FILE” komutuyla açın.',
  combineLink: 'Diğer parçalarla birlikte aç',
  shareKey: 'Bu bağlantı, birkaç kişi arasında bölüştürülmüş bir sırrın parçalarından biri: yalnızca diğer parçalardan yeterli sayıda olanlarla birlikte, “hush combine LINK…” komutuyla açılabilir. Hiçbir şey harcanmadı.',
  badKey: 'Bu bağlantı eksik: “#” işaretinden sonraki anahtar yok veya bozuk. Size gönderilen bağlantının tamamını kopyalayıp yeniden açın.',
  burned: 'Parola yanlış ve deneme hakkı kalmadı: sır yok edildi. Gönderen kişiden sırrı yeniden paylaşmasını isteyin.',
  burnedCode: 'Kod yanlış ve deneme hakkı kalmadı: sır yok edildi. Gönderen kişiden sırrı yeniden paylaşmasını isteyin.',
  restricted: 'Bu sırrı yalnızca gönderenin belirttiği kişiler açabilir. E-posta adresinizi girin: gönderen bu adresi belirttiyse adrese bir kod gönderilir.',
  email: 'E-posta adresiniz',
  sendCode: 'Bana kod gönder',
  sendNewCode: 'Yeni kod gönder',
  sending: 'Gönderiliyor…',
  codeSent: (address) => `Gönderen ${address} adresini belirttiyse bu adrese bir kod gönderiliyor. Bu bir dakika kadar sürebilir; spam klasörünüzü de kontrol edin.`,
  enterEmail: 'E-posta adresinizi girin.',
  signIn: 'Ya da gönderenin belirttiği adresle burada oturum açın: kod bu sayfaya gelir (yeni sekme)',
  codeGiven: (address) => `${address} adresiyle oturum açtınız: kod girildi.`,
  code: 'E-postadaki kod',
  codeHelp: 'Altı haneli kod 10 dakika geçerlidir ve yalnızca bir kez kullanılabilir. Yanlış kodlar sayılır: 5 yanlış denemeden sonra sır yok edilir.',
  enterCode: 'E-postadaki altı haneli kodu girin.',
  leftDeleted:
    'Bu sayfadan ayrıldığınızda sır sayfadan kaldırıldı ve sunucudan silindi. Kopyalamadıysanız gönderen kişiden sırrı yeniden paylaşmasını isteyin.',
  leftMore: (n) =>
    `Bu sayfadan ayrıldığınızda sır sayfadan kaldırıldı. Size gönderilen bağlantıyla ${plural(n, { one: '# kez daha', other: '# kez daha' })} açılabilir.`,
};

export const stateless: typeof En.stateless = {
  intro: 'Bu bir durumsuz bağlantı: şifreli sır bağlantının kendi içinde. Bu sayfa sırrın şifresini tarayıcınızda çözer ve sunucuya hiçbir şey göndermez.',
  note: 'Durumsuz bir bağlantı iptal edilemez ve tek okumayla sınırlandırılamaz — bağlantıya sahip olan herkes, süresi dolana kadar onu açabilir — ve süre sınırını bir sunucu değil, tarayıcınız uygular.',
  passphraseHelp: 'Bu bağlantı yalnızca gönderenin size başka bir yoldan ilettiği parolayla açılır.',
  noExpiry: 'Bu bağlantının süresi dolmaz.',
  validFor: (remaining) => `Bu bağlantının süresinin dolmasına ${remaining} kaldı; o zamana kadar bağlantıya sahip olan herkes onu açabilir.`,
  damaged: 'Bu bağlantı eksik veya bozuk: bağlantının tamamını, “#” işaretinden sonraki kısım dahil kopyalayıp yeniden açın.',
  wrong: 'Parola yanlış veya bağlantı bozuk. Parolayı kontrol edip tekrar deneyin.',
  left: 'Bu sayfadan ayrıldığınızda sır sayfadan kaldırıldı. Okumak için size gönderilen bağlantıyı yeniden açın.',
};

export const manage: typeof En.manage = {
  title: 'Hush — paylaştığınız sır',
  h1: 'Paylaştığınız sır',
  lead: 'Bu sayfa gönderen içindir. Sırrın okunup okunmadığını gösterir ve sırrı iptal etmenizi sağlar. Sırrın kendisini gösteremez.',
  state: 'Durum',
  opensFor: 'Kimler açabilir',
  onlyNamed: 'Yalnızca belirttiğiniz kişiler, e-postayla gönderilen bir kodla',
  viewsLeft: 'Kalan görüntüleme',
  expires: 'Sona erme',
  expired: 'Süresi doldu',
  keptUntil: 'Kayıt silinme tarihi',
  live: 'Sır beklerken bu sayfa kendiliğinden güncellenir.',
  revoke: 'Şimdi iptal et',
  refresh: 'Yenile',
  confirm: 'Bu sır iptal edilsin mi? Şifreli metni hemen silinir ve bağlantı artık çalışmaz. Bu işlem geri alınamaz.',
  yes: 'Evet, iptal et',
  no: 'Hayır, kalsın',
  another: 'Başka bir sır paylaş',
  revoking: 'İptal ediliyor…',
  pending: 'Bekliyor — henüz okunmadı',
  consumed: 'Okundu',
  expiredUnread: 'Okunmadan süresi doldu',
  revoked: 'Tarafınızdan iptal edildi',
  burned: 'Çok fazla yanlış parola veya kod girildiği için yok edildi',
  openedLast: (when) => `Açıldı, en son ${when} tarihinde`,
  stateOn: (state, when) => `${when} tarihinde ${low(state)}`,
  expiresIn: (when, remaining) => `${when} (${remaining} kaldı)`,
  unknown:
    'Bu sır hakkında hiçbir bilgi yok: yönetim bağlantısı yanlış ya da kaydı silinmiş. Kayıt, sırrın süresi dolana kadar tutulur; geçmiş tutan sunucularda geçmiş, sır silindikten sonra da bir süre saklanır.',
  incomplete: 'Bu yönetim bağlantısı eksik: “#” işaretinden sonraki kısım yok. Sakladığınız yönetim bağlantısının tamamını açın.',
  setToExpire: 'Planlanan bitiş',
  history: 'Geçmiş',
  historyHelp:
    'Sohbet uygulamaları ve e-posta filtreleri, önizleme göstermek veya kötü amaçlı yazılım taraması yapmak için bağlantıları çoğu zaman kendiliğinden açar. Bu, sırrın okunduğu anlamına gelmez; sır yalnızca biri onu gösterdiğinde okunur.',
  onlyMachines: (n) =>
    plural(n, {
      one: 'Bağlantı bir kez bir bağlantı önizlemesi veya tarama aracı tarafından açıldı, ancak sırrı henüz kimse okumadı.',
      other: 'Bağlantı # kez bağlantı önizlemeleri veya tarama araçları tarafından açıldı, ancak sırrı henüz kimse okumadı.',
    }),
  onlyMachinesEnded: (n) =>
    plural(n, {
      one: 'Bağlantı bir kez bir bağlantı önizlemesi veya tarama aracı tarafından açıldı, ancak sırrı kimse okumadı.',
      other: 'Bağlantı # kez bağlantı önizlemeleri veya tarama araçları tarafından açıldı, ancak sırrı kimse okumadı.',
    }),
  readByMachine: 'Sır, tarayıcıdaki bir kişi tarafından değil, otomatik bir istemci tarafından okundu. Alıcı sırrı almadıysa sırrı yeniden paylaşın.',
  dropped: (n) => plural(n, { one: '… ve sunucunun saklamadığı # olay daha.', other: '… ve sunucunun saklamadığı # olay daha.' }),
  evCreated: (by) => `${cap(by)} oluşturuldu`,
  evOpened: (by) => `Bağlantı ${by} açıldı — okunmadı`,
  evRead: (by) => `${cap(by)} okundu`,
  evPassphraseFailed: (by) => `${cap(by)} yanlış parola denendi`,
  evRevoked: (by) => `${cap(by)} iptal edildi`,
  evOther: (type, by) => `${cap(by)} “${type}” olayı tetiklendi`,
  byBrowser: 'tarayıcıda',
  byLinkPreview: 'bir bağlantı önizlemesi tarafından',
  byScanner: 'otomatik bir tarama aracı tarafından',
  byCli: 'hush CLI ile',
  byApi: 'API üzerinden',
  byUnknown: 'bilinmeyen bir istemci tarafından',
  byOther: (kind) => `“${kind}” türünde bir istemci tarafından`,
  sharesTitle: 'Parçalar',
  sharesHelp: 'Hangi parçaların kullanıldığı, sırrın açılmasına kimlerin katıldığını gösterir. Yukarıdaki sırrı iptal etmek bölüştürmeyi sona erdirir; bir parçayı iptal etmek diğerlerini etkilemez.',
  shareState: (i, n, state) => `Parça ${String(i)} / ${String(n)}: ${state}`,
  shareUnknown: 'sunucu artık bu parçayı tanımıyor (kaydı silinmiş)',
};

export const request: typeof En.request = {
  title: 'Hush — bir sır isteyin',
  h1: 'Birinden bir sır isteyin',
  lead: 'Hush bu tarayıcıda bir anahtar çifti ve göndermeniz için bir bağlantı oluşturur. Karşı tarafın yanıtı sizin anahtarınızla şifrelenir: onu yalnızca bu tarayıcı açabilir — ne sunucu ne de bağlantıyı gören biri.',
  noteLabel: 'Gönderen için not',
  optional: '(isteğe bağlı)',
  noteHelp1: 'Örneğin “test ortamının API anahtarı lütfen”. Bu not ',
  notEncrypted: 'şifrelenmez',
  noteHelp2: ': sunucu onu okuyabilir. Nota asla bir sır yazmayın.',
  ttlLabel: 'İsteğin geçerlilik süresi',
  hour1: '1 saat',
  hours24: '24 saat',
  days7: '7 gün',
  make: 'İstek bağlantısı oluştur',
  making: 'Anahtar oluşturuluyor…',
  madeTitle: 'Bu bağlantıyı sırra sahip kişiye gönderin',
  linkLabel: 'İstek bağlantısı',
  copy: 'Kopyala',
  keepOpen: 'Bu sayfayı açık tutun ya da bu tarayıcıda bu adrese geri dönün: yanıtın şifresi yalnızca burada çözülebilir.',
  pendingTitle: 'İstekleriniz',
  answerTitle: 'İstediğiniz sır',
  secretLabel: 'Sır',
  answerHelp: 'Sır sunucudan, onu açan anahtar da bu tarayıcıdan silindi.',
  shareInstead: 'Bunun yerine bir sır paylaş',
  untitled: 'İstek',
  waiting: 'yanıt bekleniyor',
  waitingFor: (left) => `yanıt bekleniyor (süresinin dolmasına ${left} kaldı)`,
  line: (what, state) => `${what} — ${state}. `,
  cancel: 'İptal et',
  turnstile: 'Bu sunucu, insan doğrulaması için Turnstile kullanıyor; istek sayfası bunu henüz desteklemiyor. Bir terminalde hush request komutunu kullanın.',
  linkWhat: 'İstek bağlantısı',
  secretWhat: 'Sır',
};

export const respond: typeof En.respond = {
  title: 'Hush — biri sizden bir sır istiyor',
  h1: 'Biri sizden bir sır istiyor',
  lead: 'Gönderdiğiniz içerik bu tarayıcıda, isteği yapan kişinin anahtarıyla şifrelenir: yalnızca o kişi ve yalnızca bir kez açabilir.',
  checking: 'İstek kontrol ediliyor…',
  theirNote: 'İsteği yapan kişinin notu',
  noteNotEncrypted: '(şifrelenmemiş: sunucu okuyabilir)',
  expiresIn: (left) => `İsteğin süresinin dolmasına ${left} kaldı.`,
  secretLabel: 'Sır',
  send: 'Güvenle gönder',
  sending: 'Şifreleniyor…',
  sent: 'Gönderildi. Sır, isteği yapan kişinin anahtarıyla şifrelendi; yalnızca o kişi ve yalnızca bir kez açabilir. Bu sayfayı kapatabilirsiniz.',
  ownLink: 'Siz de bir sır paylaşın',
  mismatch:
    'Durun: bu sunucunun istek için verdiği anahtar bağlantıyla eşleşmiyor. Biri yanıtınızı okumaya çalışıyor olabilir. Hiçbir şey gönderilmedi; isteği yapan kişiye haber verin.',
  damaged: 'Bu istek bağlantısı eksik veya bozuk: bağlantının tamamını, “#” işaretinden sonraki kısım dahil kopyalayıp yeniden açın.',
  notAvailable: 'Bu istek kullanılamıyor: yanıtlanmış, iptal edilmiş veya süresi dolmuş. İsteği yapan kişiden yeni bir bağlantı isteyin.',
  answered: 'Bu istek zaten yanıtlandı; yalnızca bir yanıt kabul eder.',
  empty: 'Önce gönderilecek sırrı yazın.',
  goneMeanwhile: 'Bu istek artık kullanılamıyor: bu arada yanıtlandı, iptal edildi veya süresi doldu.',
};

export const combine: typeof En.combine = {
  title: 'Hush — bölüştürülmüş bir sırrı açın',
  h1: 'Birkaç kişi arasında bölüştürülmüş bir sırrı açın',
  lead: 'Gönderen bu sırrı, her biri bir kişiye verilen parça bağlantılarına böldü: yeterli sayıda parça bir araya geldiğinde sır açılır. Parça bağlantılarını buraya tek tek ekleyin. Bağlantılar yalnızca bu sayfada kalır ve siz sırrı açana kadar hiçbir şey harcanmaz.',
  shareLabel: 'Parça bağlantısı',
  shareHelp: 'Bir parçayı taşıyan bağlantı: \u2066…/s/…#share.…\u2069',
  add: 'Parça ekle',
  adding: 'Kontrol ediliyor…',
  sharesTitle: 'Eklenen parçalar',
  share: (n) => `Parça ${String(n)}`,
  remove: (n) => `${String(n)} numaralı parçayı kaldır`,
  removeLabel: 'Kaldır',
  progress: (have, need) =>
    plural(need, { one: `Gereken # parçadan ${String(have)} tanesi eklendi.`, other: `Gereken # parçadan ${String(have)} tanesi eklendi.` }),
  ready: (need) =>
    plural(need, {
      one: 'Yeterli parça var: sırrı açmak # parçayı ve sırrın kendisini harcar.',
      other: 'Yeterli parça var: sırrı açmak bunlardan # tanesini ve sırrın kendisini harcar.',
    }),
  passphraseHelp: 'Parçalar, gönderenin parça sahiplerine başka bir yoldan ilettiği bir parolayla korunuyor.',
  notShare: 'Bu bir parça bağlantısı değil. Parça bağlantıları “#share.” ve ardından gelen başka karakterlerle biter; bağlantının tamamını kopyalayın.',
  otherServer: 'Bu parça başka bir Hush sunucusuna ait: onu orada açın.',
  otherSecret: 'Bu parça, daha önce eklenen parçalardan farklı bir bölüştürülmüş sırra ait. Hiçbir şey harcanmadı.',
  duplicate: 'Bu parça zaten eklendi.',
  shareGone: 'Bu parça artık açılamıyor: kullanılmış, süresi dolmuş veya iptal edilmiş. Gönderene ya da başka bir parça sahibine başvurun.',
  notEnough: 'Eklenen parçalardan hâlâ açılabilenler yeterli değil. Hiçbir şey harcanmadı.',
  mismatch: 'Parçalar birbiriyle uyuşmuyor: biri bozuk ya da başka bir sırra ait. Gönderene başvurun.',
  vaultGone: 'Parçalar uyuşuyor, ancak sırrın kendisi artık açılamıyor: okunmuş, süresi dolmuş veya iptal edilmiş.',
  opened: 'Sır sunucudan silindi ve onu açmak için kullanılan parçalar harcandı. Sır yalnızca bu sayfada gösteriliyor: ayrılmadan önce kopyalayın.',
  left: 'Bu sayfadan ayrıldığınızda sır hem sayfadan hem de sunucudan kaldırıldı. Kopyalamadıysanız gönderen kişiden sırrı yeniden paylaşmasını isteyin.',
};

export const mine: typeof En.mine = {
  title: 'Hush — sırlarım',
  h1: 'Sırlarım',
  lead: 'Oturum açıkken paylaştığınız sırlar: okunup okunmadıkları ve ne zaman okundukları. İçerikleri ve bağlantıları asla gösterilmez.',
  share: 'Sır paylaş',
  created: (when) => `${when} tarihinde paylaşıldı`,
  expires: 'Sona erme',
  none: 'Oturum açıkken henüz bir sır paylaşmadınız ya da paylaştıklarınızın hepsi silindi.',
  signIn: 'Paylaştığınız sırları görmek için oturum açın',
  noSignIn: 'Bu sunucuda oturum açma yok; dolayısıyla sırlarınızın bir listesi de yok. Her sırrın kendi yönetim bağlantısı vardır.',
};

export const notFound: typeof En.notFound = {
  title: 'Hush — bulunamadı',
  h1: 'Burada bir şey yok',
  lead: 'Bu adreste bir sayfa yok. Bir sırra giden bağlantıyı izlediyseniz size gönderilen bağlantının tamamını kopyalayıp yeniden açın.',
  share: 'Sır paylaş',
};

/** Keys ("section.key") whose text is identical to the English on purpose (a brand, a code word, a loan word). */
export const same: readonly string[] = ['create.ctrl'];
