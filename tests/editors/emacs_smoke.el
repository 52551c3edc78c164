;;; emacs_smoke.el --- Emacs + Eglot smoke test for fastapi-practices  -*- lexical-binding: t; -*-

;; Run as `emacs --batch -l emacs_smoke.el' WITHOUT -Q, so Debian's elpa-eglot is on the load
;; path.  Starts the server through Eglot, opens $FBP_TARGET, waits for Flymake diagnostics,
;; applies the preferred quick fix for $FBP_FIX_CODE and writes a JSON report to $FBP_REPORT.
;; The buffer is never saved.

;;; Code:

(require 'package)
(package-initialize)
(require 'json)
(require 'eglot)
(require 'flymake)

(defvar fbp-report-path (getenv "FBP_REPORT"))
(defvar fbp-target (getenv "FBP_TARGET"))
(defvar fbp-python (getenv "FBP_PYTHON"))
(defvar fbp-wanted-code (or (getenv "FBP_FIX_CODE") "FBP201"))
(defvar fbp-codes nil)
(defvar fbp-errors nil)
(defvar fbp-fixed nil)
(defvar fbp-changed nil)
(defvar fbp-title nil)
(defvar fbp-text nil)
(defvar fbp-server nil)

(defun fbp-finish ()
  "Write the report, stop the server and leave Emacs."
  (when fbp-server
    (ignore-errors (eglot-shutdown fbp-server nil 5)))
  (let ((coding-system-for-write 'utf-8))
    (with-temp-file fbp-report-path
      (insert (json-encode
               `((codes . ,(vconcat (reverse fbp-codes)))
                 (errors . ,(vconcat (reverse fbp-errors)))
                 (fixed . ,(if fbp-fixed t :json-false))
                 (changed . ,(if fbp-changed t :json-false))
                 (title . ,fbp-title)
                 (text . ,fbp-text)
                 (eglot_version . ,(bound-and-true-p eglot--version)))))))
  (kill-emacs 0))

(defun fbp-lsp-diagnostic (diagnostic)
  "The LSP Diagnostic plist Eglot keeps in the data of Flymake DIAGNOSTIC."
  (cdr (assoc 'eglot-lsp-diag (flymake-diagnostic-data diagnostic))))

(defun fbp-diagnostic-code (diagnostic)
  (let ((code (plist-get (fbp-lsp-diagnostic diagnostic) :code)))
    (if (numberp code) (number-to-string code) code)))

(defun fbp-wait-for-diagnostics (seconds)
  "Let Eglot and Flymake run until the buffer has diagnostics, for at most SECONDS."
  (let ((deadline (+ (float-time) seconds)))
    (while (and (null (flymake-diagnostics)) (< (float-time) deadline))
      (accept-process-output nil 0.1))
    (flymake-diagnostics)))

(defun fbp-choose (actions)
  "The preferred quick fix among ACTIONS, else the first one that is not a noqa comment."
  (or (seq-find (lambda (action)
                  (and (equal (plist-get action :kind) "quickfix")
                       (eq (plist-get action :isPreferred) t)))
                actions)
      (seq-find (lambda (action)
                  (and (equal (plist-get action :kind) "quickfix")
                       (not (string-prefix-p "Disable" (plist-get action :title)))))
                actions)))

(defun fbp-run ()
  (push `(python-mode . (,fbp-python "-m" "fastapi_practices" "serve" "--stdio"))
        eglot-server-programs)
  (setq eglot-sync-connect t
        eglot-connect-timeout 30
        eglot-autoshutdown nil)
  (find-file fbp-target)
  (unless (derived-mode-p 'python-mode)
    (error "%s did not open in python-mode but %s" fbp-target major-mode))
  (let ((before (buffer-substring-no-properties (point-min) (point-max))))
    (setq fbp-server (apply #'eglot--connect (eglot--guess-contact)))
    (unless (eglot-managed-p)
      (error "Eglot does not manage the buffer"))
    (let ((diagnostics (fbp-wait-for-diagnostics 60)))
      (unless diagnostics
        (error "No Flymake diagnostics within 60 s"))
      (setq fbp-codes (mapcar #'fbp-diagnostic-code diagnostics))
      (let ((target (seq-find (lambda (d) (equal (fbp-diagnostic-code d) fbp-wanted-code))
                              diagnostics)))
        (unless target
          (error "No %s diagnostic to fix" fbp-wanted-code))
        (let* ((actions (eglot-code-actions (flymake-diagnostic-beg target)
                                            (flymake-diagnostic-end target)
                                            "quickfix"))
               (chosen (fbp-choose actions)))
          (unless chosen
            (error "No quick fix among %d actions" (length actions)))
          (setq fbp-title (plist-get chosen :title))
          ;; This Eglot does not announce codeAction/resolve support, so edits come eagerly;
          ;; resolve anyway if a server ever sends an action without one.
          (unless (plist-get chosen :edit)
            (setq chosen (jsonrpc-request fbp-server :codeAction/resolve chosen)))
          (unless (plist-get chosen :edit)
            (error "Quick fix %S has no edit" fbp-title))
          (eglot--apply-workspace-edit (plist-get chosen :edit))
          (setq fbp-fixed t))))
    (setq fbp-text (buffer-substring-no-properties (point-min) (point-max)))
    (setq fbp-changed (not (equal fbp-text before)))
    (set-buffer-modified-p nil)))

(condition-case err
    (fbp-run)
  (error (push (error-message-string err) fbp-errors)))
(fbp-finish)

;;; emacs_smoke.el ends here
