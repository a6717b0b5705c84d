// The admin's export form: "Select all" ticks or clears every field of the export
// (templates/admin/import_export/export.html; no inline handler, for the CSP).
document.addEventListener("DOMContentLoaded", function () {
  var toggle = document.querySelector(".select-toggle");
  if (!toggle) {
    return;
  }
  toggle.addEventListener("change", function () {
    document
      .querySelectorAll('.selectable-field-export-row input[type="checkbox"]')
      .forEach(function (checkbox) {
        checkbox.checked = toggle.checked;
      });
  });
});
