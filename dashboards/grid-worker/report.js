// 随手拍 manual report: POST /api/incidents {type:"manual.report", buildingId, text, photoRef:null}.
import { t } from '/shared/i18n.js';
import { api } from '/shared/api.js';
import { h } from '/shared/incidents.js';

/** Only the buildings of the worker's own grid are offered. */
export function fillBuildings(select, hier, gridId) {
  const buildings = (hier.raw.buildings ?? []).filter((b) => b.gridId === gridId);
  select.replaceChildren(...buildings.map((b) => h('option', { value: b.id }, b.name)));
}

export function bindReport(form, onCreated) {
  const out = form.querySelector('[data-role="report-result"]');
  const submit = form.querySelector('[type="submit"]');
  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    const text = form.text.value.trim();
    out.className = 'action-result';
    if (!text) {
      out.className = 'action-result error';
      out.textContent = t('report.needText');
      form.text.focus();
      return;
    }
    submit.disabled = true;
    out.textContent = t('worker.busy');
    try {
      const inc = await api('/api/incidents', { method: 'POST',
        body: { type: 'manual.report', buildingId: form.buildingId.value, text, photoRef: null } });
      out.textContent = `${t('report.sent')} #${inc?.id ?? ''}`;
      form.text.value = '';
      if (inc?.id != null) onCreated(inc);
    } catch (err) {
      out.className = 'action-result error';
      out.textContent = err.status === 0 ? t('error.network') : (err.detail || err.title || err.message);
    } finally {
      submit.disabled = false;
    }
  });
}
