// Sound and vibration for a new P1/P2 (DESIGN §10). WebAudio needs a user gesture before it may play, so the
// context is created on the first tap/click (the login button counts); no audio files are needed.
let ctx = null;

export function unlockAudio() {
  const unlock = () => {
    const Ctx = window.AudioContext ?? window.webkitAudioContext;
    if (!ctx && Ctx) ctx = new Ctx();
    ctx?.resume?.();
  };
  window.addEventListener('pointerdown', unlock, { once: false, capture: true });
  window.addEventListener('keydown', unlock, { once: false, capture: true });
}

function beep(freq, startS, lengthS) {
  const osc = ctx.createOscillator();
  const gain = ctx.createGain();
  osc.type = 'square';
  osc.frequency.value = freq;
  const t0 = ctx.currentTime + startS;
  gain.gain.setValueAtTime(0.0001, t0);
  gain.gain.exponentialRampToValueAtTime(0.25, t0 + 0.02);
  gain.gain.exponentialRampToValueAtTime(0.0001, t0 + lengthS);
  osc.connect(gain).connect(ctx.destination);
  osc.start(t0);
  osc.stop(t0 + lengthS + 0.05);
}

/** P1: three high-low pairs and a long vibration; P2: two beeps and a short one. */
export function alertNew(severity) {
  const p1 = severity === 'P1';
  if (ctx && ctx.state === 'running') {
    const pairs = p1 ? 3 : 2;
    for (let i = 0; i < pairs; i++) {
      beep(p1 ? 1046 : 880, i * 0.5, 0.2);
      if (p1) beep(784, i * 0.5 + 0.22, 0.2);
    }
  }
  // Chrome blocks (and logs) vibrate before the first user gesture; after login there always was one.
  if (navigator.userActivation?.hasBeenActive ?? true) navigator.vibrate?.(p1 ? [400, 150, 400, 150, 400] : [250, 120, 250]);
}
