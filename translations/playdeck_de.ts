<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="de_DE">
<context>
    <name>JobStatus</name>
    <message>
        <location filename="../ui/JobPresentation.cpp" line="12"/>
        <source>new</source>
        <translation>neu</translation>
    </message>
    <message>
        <location filename="../ui/JobPresentation.cpp" line="14"/>
        <source>pending</source>
        <translation>ausstehend</translation>
    </message>
    <message>
        <location filename="../ui/JobPresentation.cpp" line="16"/>
        <source>waiting</source>
        <translation>wartend</translation>
    </message>
    <message>
        <location filename="../ui/JobPresentation.cpp" line="18"/>
        <source>running</source>
        <translation>läuft</translation>
    </message>
    <message>
        <location filename="../ui/JobPresentation.cpp" line="20"/>
        <source>successful</source>
        <translation>erfolgreich</translation>
    </message>
    <message>
        <location filename="../ui/JobPresentation.cpp" line="22"/>
        <source>failed</source>
        <translation>fehlgeschlagen</translation>
    </message>
    <message>
        <location filename="../ui/JobPresentation.cpp" line="24"/>
        <source>error</source>
        <translation>Fehler</translation>
    </message>
    <message>
        <location filename="../ui/JobPresentation.cpp" line="26"/>
        <source>canceled</source>
        <translation>abgebrochen</translation>
    </message>
</context>
<context>
    <name>QObject</name>
    <message>
        <location filename="../engine/db/Connections.cpp" line="18"/>
        <source>The Qt PostgreSQL driver (QPSQL) is not installed; install the Debian package libqt6sql6-psql.</source>
        <translation>Der Qt-PostgreSQL-Treiber (QPSQL) ist nicht installiert; bitte das Debian-Paket libqt6sql6-psql installieren.</translation>
    </message>
    <message>
        <location filename="../engine/db/Connections.cpp" line="31"/>
        <source>Cannot connect to PostgreSQL at %1: %2</source>
        <translation>Keine Verbindung zu PostgreSQL unter %1 möglich: %2</translation>
    </message>
    <message>
        <location filename="../engine/db/DatabaseConfig.cpp" line="14"/>
        <source>&apos;%1&apos; is not a PostgreSQL URL; expected postgresql://user:password@host:port/database</source>
        <translation>&apos;%1&apos; ist keine PostgreSQL-URL; erwartet wird postgresql://user:password@host:port/database</translation>
    </message>
    <message>
        <location filename="../engine/db/Migrations.cpp" line="59"/>
        <source>The database schema is at version %1, but this Playdeck knows only up to version %2. Use a newer Playdeck with this database.</source>
        <translation>Das Datenbankschema hat Version %1, dieses Playdeck kennt aber nur Versionen bis %2. Für diese Datenbank wird ein neueres Playdeck benötigt.</translation>
    </message>
    <message>
        <location filename="../engine/db/Migrations.cpp" line="79"/>
        <source>Migration %1 failed: %2</source>
        <translation>Migration %1 fehlgeschlagen: %2</translation>
    </message>
    <message>
        <location filename="../engine/dispatch/InstanceRegistry.cpp" line="120"/>
        <source>Job was reaped: its Playdeck instance %1 stopped (it exited or crashed) while the job was waiting or running.</source>
        <translation>Der Job wurde bereinigt: Seine Playdeck-Instanz %1 wurde beendet (regulär oder durch einen Absturz), während der Job wartete oder lief.</translation>
    </message>
    <message>
        <location filename="../engine/model/DemoContent.cpp" line="15"/>
        <source>Cannot create the demo project directory %1.</source>
        <translation>Das Demo-Projektverzeichnis %1 kann nicht angelegt werden.</translation>
    </message>
    <message>
        <location filename="../engine/model/DemoContent.cpp" line="22"/>
        <source>Cannot write %1.</source>
        <translation>%1 kann nicht geschrieben werden.</translation>
    </message>
    <message>
        <location filename="../engine/model/ExtraVars.cpp" line="113"/>
        <source>Extra variables are neither valid YAML nor JSON: %1 (line %2, column %3)</source>
        <translation>Die zusätzlichen Variablen sind weder gültiges YAML noch JSON: %1 (Zeile %2, Spalte %3)</translation>
    </message>
    <message>
        <location filename="../engine/model/ExtraVars.cpp" line="122"/>
        <source>Extra variables must be a mapping of names to values, like {&quot;name&quot;: &quot;value&quot;} or name: value.</source>
        <translation>Zusätzliche Variablen müssen eine Zuordnung von Namen zu Werten sein, etwa {&quot;name&quot;: &quot;value&quot;} oder name: value.</translation>
    </message>
    <message>
        <location filename="../engine/model/ExtraVars.cpp" line="128"/>
        <source>Extra variables cannot be read: %1</source>
        <translation>Die zusätzlichen Variablen können nicht gelesen werden: %1</translation>
    </message>
    <message>
        <location filename="../engine/model/Repository.cpp" line="104"/>
        <source>There is no job template with id %1.</source>
        <translation>Es gibt keine Job-Vorlage (job template) mit der ID %1.</translation>
    </message>
    <message>
        <location filename="../engine/model/Repository.cpp" line="105"/>
        <source>There is no job template named &quot;%1&quot;.</source>
        <translation>Es gibt keine Job-Vorlage (job template) namens &quot;%1&quot;.</translation>
    </message>
    <message>
        <location filename="../engine/model/Repository.cpp" line="156"/>
        <source>Job %1 cannot be relaunched: its template was deleted.</source>
        <translation>Job %1 kann nicht erneut gestartet werden: Seine Vorlage wurde gelöscht.</translation>
    </message>
    <message>
        <location filename="../engine/model/Repository.cpp" line="236"/>
        <location filename="../engine/model/Repository.cpp" line="284"/>
        <source>There is no job %1.</source>
        <translation>Es gibt keinen Job %1.</translation>
    </message>
    <message>
        <location filename="../engine/model/Repository.cpp" line="240"/>
        <source>Job %1 has already finished (%2).</source>
        <translation>Job %1 ist bereits beendet (%2).</translation>
    </message>
    <message>
        <location filename="../engine/model/Repository.cpp" line="244"/>
        <source>Canceled before it started.</source>
        <translation>Vor dem Start abgebrochen.</translation>
    </message>
    <message>
        <location filename="../engine/runner/ResultStream.cpp" line="28"/>
        <source>the artifacts block of the runner&apos;s stream is not valid base64 of %1 bytes</source>
        <translation>der Artefaktblock im Datenstrom des Runners ist kein gültiges Base64 von %1 Bytes</translation>
    </message>
    <message>
        <location filename="../engine/runner/ResultStream.cpp" line="55"/>
        <source>line %1 of the runner&apos;s stream is not a JSON object (%2): %3</source>
        <translation>Zeile %1 im Datenstrom des Runners ist kein JSON-Objekt (%2): %3</translation>
    </message>
    <message>
        <location filename="../engine/runner/ResultStream.cpp" line="64"/>
        <source>line %1 of the runner&apos;s stream announces an invalid artifacts size</source>
        <translation>Zeile %1 im Datenstrom des Runners kündigt eine ungültige Artefaktgröße an</translation>
    </message>
    <message>
        <location filename="../engine/runner/RunSpec.cpp" line="68"/>
        <location filename="../engine/runner/ZipArchive.cpp" line="119"/>
        <source>Cannot write %1: %2</source>
        <translation>%1 kann nicht geschrieben werden: %2</translation>
    </message>
    <message>
        <location filename="../engine/runner/RunSpec.cpp" line="76"/>
        <source>The project directory %1 does not exist.</source>
        <translation>Das Projektverzeichnis %1 existiert nicht.</translation>
    </message>
    <message>
        <location filename="../engine/runner/RunSpec.cpp" line="94"/>
        <source>Cannot copy %1 into the job&apos;s directory.</source>
        <translation>%1 kann nicht in das Verzeichnis des Jobs kopiert werden.</translation>
    </message>
    <message>
        <location filename="../engine/runner/RunSpec.cpp" line="123"/>
        <source>Job %1 does not exist.</source>
        <translation>Job %1 existiert nicht.</translation>
    </message>
    <message>
        <location filename="../engine/runner/RunSpec.cpp" line="197"/>
        <source>The playbook %1 is not in the project directory %2.</source>
        <translation>Das Playbook %1 liegt nicht im Projektverzeichnis %2.</translation>
    </message>
    <message>
        <location filename="../engine/runner/ZipArchive.cpp" line="71"/>
        <source>Cannot read %1 for the job: %2</source>
        <translation>%1 kann für den Job nicht gelesen werden: %2</translation>
    </message>
    <message>
        <location filename="../engine/runner/ZipArchive.cpp" line="103"/>
        <source>The archive contains an unsafe path: %1</source>
        <translation>Das Archiv enthält einen unsicheren Pfad: %1</translation>
    </message>
    <message>
        <location filename="../engine/scheduling/SchedulingRules.cpp" line="27"/>
        <source>waiting for job-%1 to finish</source>
        <translation>wartet auf das Ende von job-%1</translation>
    </message>
    <message>
        <location filename="../engine/scheduling/SchedulingRules.cpp" line="44"/>
        <source>This job is not ready to start because there is not enough available capacity.</source>
        <translation>Dieser Job kann noch nicht starten, weil nicht genügend Kapazität verfügbar ist.</translation>
    </message>
</context>
<context>
    <name>main</name>
    <message>
        <location filename="../app/main.cpp" line="70"/>
        <source>Playdeck cannot start</source>
        <translation>Playdeck kann nicht starten</translation>
    </message>
</context>
<context>
    <name>playdeck::Commands</name>
    <message>
        <location filename="../app/Commands.cpp" line="47"/>
        <source>usage: playdeck %1</source>
        <translation>Aufruf: playdeck %1</translation>
    </message>
    <message>
        <location filename="../app/Commands.cpp" line="77"/>
        <source>&apos;%1&apos; is not a job id</source>
        <translation>&apos;%1&apos; ist keine Job-ID</translation>
    </message>
    <message>
        <location filename="../app/Commands.cpp" line="87"/>
        <source>Name of the job template.</source>
        <translation>Name der Job-Vorlage.</translation>
    </message>
    <message>
        <location filename="../app/Commands.cpp" line="90"/>
        <source>Extra variables: JSON, YAML or @file.</source>
        <translation>Zusätzliche Variablen: JSON, YAML oder @Datei.</translation>
    </message>
    <message>
        <location filename="../app/Commands.cpp" line="94"/>
        <source>Host pattern to limit the run to.</source>
        <translation>Host-Muster, auf das der Lauf beschränkt wird.</translation>
    </message>
    <message>
        <location filename="../app/Commands.cpp" line="99"/>
        <source>Run in check mode.</source>
        <translation>Im Prüfmodus ausführen.</translation>
    </message>
    <message>
        <location filename="../app/Commands.cpp" line="102"/>
        <source>Stream the job&apos;s output until it ends.</source>
        <translation>Die Ausgabe des Jobs bis zu seinem Ende anzeigen.</translation>
    </message>
    <message>
        <location filename="../app/Commands.cpp" line="115"/>
        <source>cannot read %1: %2</source>
        <translation>%1 kann nicht gelesen werden: %2</translation>
    </message>
    <message>
        <location filename="../app/Commands.cpp" line="196"/>
        <source>How many jobs (default 50).</source>
        <translation>Wie viele Jobs (Standard 50).</translation>
    </message>
    <message>
        <location filename="../app/Commands.cpp" line="217"/>
        <location filename="../app/Commands.cpp" line="241"/>
        <location filename="../app/Commands.cpp" line="289"/>
        <source>Job id.</source>
        <translation>Job-ID.</translation>
    </message>
    <message>
        <location filename="../app/Commands.cpp" line="244"/>
        <source>One JSON object per line (the default).</source>
        <translation>Ein JSON-Objekt pro Zeile (Standard).</translation>
    </message>
</context>
<context>
    <name>playdeck::Controller</name>
    <message>
        <location filename="../engine/Controller.cpp" line="52"/>
        <source>Verbosity must be between 0 and 5.</source>
        <translation>Die Ausführlichkeit muss zwischen 0 und 5 liegen.</translation>
    </message>
    <message>
        <location filename="../engine/Controller.cpp" line="70"/>
        <source>The template&apos;s own extra variables are invalid: %1</source>
        <translation>Die eigenen zusätzlichen Variablen der Vorlage sind ungültig: %1</translation>
    </message>
</context>
<context>
    <name>playdeck::Dispatcher</name>
    <message>
        <location filename="../engine/dispatch/Dispatcher.cpp" line="75"/>
        <source>Task was marked as running but was not present in the job queue, so it has been marked as failed.</source>
        <translation>Der Job war als laufend markiert, stand aber in keiner Warteschlange und wurde daher als fehlgeschlagen markiert.</translation>
    </message>
</context>
<context>
    <name>playdeck::EmbeddedCluster</name>
    <message>
        <location filename="../engine/db/EmbeddedCluster.cpp" line="93"/>
        <source>PostgreSQL server binaries were not found under /usr/lib/postgresql. Install them with: sudo apt-get install postgresql (or set PLAYDECK_PG_BINDIR).</source>
        <translation>Die Programmdateien des PostgreSQL-Servers wurden unter /usr/lib/postgresql nicht gefunden. Installation mit: sudo apt-get install postgresql (oder PLAYDECK_PG_BINDIR setzen).</translation>
    </message>
    <message>
        <location filename="../engine/db/EmbeddedCluster.cpp" line="99"/>
        <source>Playdeck runs as root, so its database server must run as the &apos;postgres&apos; system user, which does not exist. Install the postgresql package.</source>
        <translation>Playdeck läuft als root, daher muss sein Datenbankserver als Systembenutzer &apos;postgres&apos; laufen, den es aber nicht gibt. Bitte das Paket postgresql installieren.</translation>
    </message>
    <message>
        <location filename="../engine/db/EmbeddedCluster.cpp" line="114"/>
        <source>Cannot lock %1: %2</source>
        <translation>%1 kann nicht gesperrt werden: %2</translation>
    </message>
    <message>
        <location filename="../engine/db/EmbeddedCluster.cpp" line="121"/>
        <source>Cannot create %1: %2</source>
        <translation>%1 kann nicht angelegt werden: %2</translation>
    </message>
    <message>
        <location filename="../engine/db/EmbeddedCluster.cpp" line="148"/>
        <source>The data directory %1 cannot be created or written. Choose another one with --data-dir or PLAYDECK_DATA_DIR.</source>
        <translation>Das Datenverzeichnis %1 kann nicht angelegt oder beschrieben werden. Mit --data-dir oder PLAYDECK_DATA_DIR ein anderes wählen.</translation>
    </message>
    <message>
        <location filename="../engine/db/EmbeddedCluster.cpp" line="153"/>
        <source>Cannot create the directory %1 for the database.</source>
        <translation>Das Verzeichnis %1 für die Datenbank kann nicht angelegt werden.</translation>
    </message>
    <message>
        <location filename="../engine/db/EmbeddedCluster.cpp" line="157"/>
        <source>Cannot hand %1 to the postgres user: %2</source>
        <translation>%1 kann nicht an den Benutzer postgres übergeben werden: %2</translation>
    </message>
    <message>
        <location filename="../engine/db/EmbeddedCluster.cpp" line="166"/>
        <source>The directory %1 is not a private directory of this user; remove it or set XDG_RUNTIME_DIR.</source>
        <translation>Das Verzeichnis %1 ist kein privates Verzeichnis dieses Benutzers; es entfernen oder XDG_RUNTIME_DIR setzen.</translation>
    </message>
    <message>
        <location filename="../engine/db/EmbeddedCluster.cpp" line="193"/>
        <source>Cannot run %1: %2</source>
        <translation>%1 kann nicht ausgeführt werden: %2</translation>
    </message>
    <message>
        <location filename="../engine/db/EmbeddedCluster.cpp" line="197"/>
        <source>%1 did not finish in time.</source>
        <translation>%1 wurde nicht rechtzeitig fertig.</translation>
    </message>
    <message>
        <location filename="../engine/db/EmbeddedCluster.cpp" line="200"/>
        <source>%1 failed (exit code %2):
%3</source>
        <translation>%1 fehlgeschlagen (Exit-Code %2):
%3</translation>
    </message>
    <message>
        <location filename="../engine/db/EmbeddedCluster.cpp" line="236"/>
        <source>Cannot start the PostgreSQL server: %1</source>
        <translation>Der PostgreSQL-Server kann nicht gestartet werden: %1</translation>
    </message>
    <message>
        <location filename="../engine/db/EmbeddedCluster.cpp" line="242"/>
        <source>The PostgreSQL server did not start. The end of its log (%1):
%2</source>
        <translation>Der PostgreSQL-Server ist nicht gestartet. Das Ende seines Protokolls (%1):
%2</translation>
    </message>
    <message>
        <location filename="../engine/db/EmbeddedCluster.cpp" line="250"/>
        <source>The PostgreSQL server did not become ready within 30 s. The end of its log (%1):
%2</source>
        <translation>Der PostgreSQL-Server war nicht innerhalb von 30 s bereit. Das Ende seines Protokolls (%1):
%2</translation>
    </message>
    <message>
        <location filename="../engine/db/EmbeddedCluster.cpp" line="261"/>
        <source>The PostgreSQL server stopped unexpectedly. The end of its log:
%1</source>
        <translation>Der PostgreSQL-Server wurde unerwartet beendet. Das Ende seines Protokolls:
%1</translation>
    </message>
    <message>
        <location filename="../engine/db/EmbeddedCluster.cpp" line="293"/>
        <source>Cannot connect to the private PostgreSQL server: %1</source>
        <translation>Keine Verbindung zum privaten PostgreSQL-Server möglich: %1</translation>
    </message>
    <message>
        <location filename="../engine/db/EmbeddedCluster.cpp" line="303"/>
        <source>Cannot create the playdeck database: %1</source>
        <translation>Die Datenbank playdeck kann nicht angelegt werden: %1</translation>
    </message>
    <message>
        <location filename="../engine/db/EmbeddedCluster.cpp" line="315"/>
        <source>(no server log)</source>
        <translation>(kein Serverprotokoll)</translation>
    </message>
</context>
<context>
    <name>playdeck::Engine</name>
    <message>
        <source>The data directory %1 cannot be created.</source>
        <translation type="vanished">Das Datenverzeichnis %1 kann nicht angelegt werden.</translation>
    </message>
    <message>
        <location filename="../engine/Engine.cpp" line="42"/>
        <source>The data directory %1 cannot be created. Choose another one with --data-dir or PLAYDECK_DATA_DIR.</source>
        <translation>Das Datenverzeichnis %1 kann nicht angelegt werden. Mit --data-dir oder PLAYDECK_DATA_DIR ein anderes wählen.</translation>
    </message>
</context>
<context>
    <name>playdeck::JobListModel</name>
    <message>
        <location filename="../ui/JobListModel.cpp" line="79"/>
        <source>ID</source>
        <translation>ID</translation>
    </message>
    <message>
        <location filename="../ui/JobListModel.cpp" line="81"/>
        <source>Name</source>
        <translation>Name</translation>
    </message>
    <message>
        <location filename="../ui/JobListModel.cpp" line="83"/>
        <source>Status</source>
        <translation>Status</translation>
    </message>
    <message>
        <location filename="../ui/JobListModel.cpp" line="85"/>
        <source>Started</source>
        <translation>Gestartet</translation>
    </message>
    <message>
        <location filename="../ui/JobListModel.cpp" line="87"/>
        <source>Elapsed</source>
        <translation>Dauer</translation>
    </message>
</context>
<context>
    <name>playdeck::JobRunner</name>
    <message>
        <location filename="../engine/runner/JobRunner.cpp" line="87"/>
        <source>Cannot create the job directory %1.</source>
        <translation>Das Job-Verzeichnis %1 kann nicht angelegt werden.</translation>
    </message>
    <message>
        <location filename="../engine/runner/JobRunner.cpp" line="93"/>
        <source>Cannot pack the job&apos;s files: %1</source>
        <translation>Die Dateien des Jobs können nicht gepackt werden: %1</translation>
    </message>
    <message>
        <location filename="../engine/runner/JobRunner.cpp" line="141"/>
        <location filename="../engine/runner/JobRunner.cpp" line="272"/>
        <source>Task was canceled due to receiving a shutdown signal.</source>
        <translation>Die Aufgabe wurde abgebrochen, weil ein Signal zum Herunterfahren empfangen wurde.</translation>
    </message>
    <message>
        <location filename="../engine/runner/JobRunner.cpp" line="243"/>
        <source>Cannot start %1: %2. Install ansible-runner (Debian package python3-ansible-runner).</source>
        <translation>%1 kann nicht gestartet werden: %2. Bitte ansible-runner installieren (Debian-Paket python3-ansible-runner).</translation>
    </message>
    <message>
        <location filename="../engine/runner/JobRunner.cpp" line="255"/>
        <source>The output of ansible-runner could not be read: %1</source>
        <translation>Die Ausgabe von ansible-runner konnte nicht gelesen werden: %1</translation>
    </message>
    <message>
        <location filename="../engine/runner/JobRunner.cpp" line="261"/>
        <source>ansible-runner worker was killed before it finished the job.</source>
        <translation>Der Prozess ansible-runner worker wurde zwangsweise beendet, bevor er den Job abgeschlossen hatte.</translation>
    </message>
    <message>
        <location filename="../engine/runner/JobRunner.cpp" line="262"/>
        <source>ansible-runner worker exited with code %1 before the end of its output.</source>
        <translation>Der Prozess ansible-runner worker wurde mit Code %1 beendet, bevor seine Ausgabe vollständig war.</translation>
    </message>
    <message>
        <location filename="../engine/runner/JobRunner.cpp" line="275"/>
        <location filename="../engine/runner/JobRunner.cpp" line="297"/>
        <source>Job terminated due to timeout</source>
        <translation>Job wegen Zeitüberschreitung beendet</translation>
    </message>
    <message>
        <location filename="../engine/runner/JobRunner.cpp" line="290"/>
        <source>ansible-playbook exited with code %1.</source>
        <translation>ansible-playbook wurde mit Code %1 beendet.</translation>
    </message>
    <message>
        <location filename="../engine/runner/JobRunner.cpp" line="291"/>
        <source>The playbook could not be run (ansible-playbook exited with code %1); the output says why.</source>
        <translation>Das Playbook konnte nicht ausgeführt werden (ansible-playbook wurde mit Code %1 beendet); der Grund steht in der Ausgabe.</translation>
    </message>
    <message>
        <location filename="../engine/runner/JobRunner.cpp" line="301"/>
        <source>The running ansible process received a shutdown signal.</source>
        <translation>Der laufende ansible-Prozess hat ein Signal zum Herunterfahren erhalten.</translation>
    </message>
    <message>
        <location filename="../engine/runner/JobRunner.cpp" line="304"/>
        <source>Job terminated due to error</source>
        <translation>Job wegen eines Fehlers beendet</translation>
    </message>
    <message>
        <location filename="../engine/runner/JobRunner.cpp" line="306"/>
        <source>ansible-runner ended its output without a final status.</source>
        <translation>ansible-runner hat seine Ausgabe ohne abschließenden Status beendet.</translation>
    </message>
</context>
<context>
    <name>playdeck::JobView</name>
    <message>
        <location filename="../ui/JobView.cpp" line="37"/>
        <source>&amp;Cancel Job</source>
        <translation>Job &amp;abbrechen</translation>
    </message>
    <message>
        <location filename="../ui/JobView.cpp" line="39"/>
        <source>Stop this job</source>
        <translation>Diesen Job anhalten</translation>
    </message>
    <message>
        <location filename="../ui/JobView.cpp" line="42"/>
        <source>&amp;Relaunch</source>
        <translation>&amp;Erneut starten</translation>
    </message>
    <message>
        <location filename="../ui/JobView.cpp" line="44"/>
        <source>Launch a new job with the same settings</source>
        <translation>Einen neuen Job mit denselben Einstellungen starten</translation>
    </message>
    <message>
        <location filename="../ui/JobView.cpp" line="55"/>
        <source>Elapsed:</source>
        <translation>Dauer:</translation>
    </message>
    <message>
        <location filename="../ui/JobView.cpp" line="67"/>
        <source>Follo&amp;w</source>
        <translation>&amp;Mitverfolgen</translation>
    </message>
    <message>
        <location filename="../ui/JobView.cpp" line="69"/>
        <source>Keep the newest output in view</source>
        <translation>Die neueste Ausgabe im Blick behalten</translation>
    </message>
    <message>
        <location filename="../ui/JobView.cpp" line="98"/>
        <source>No output yet.</source>
        <translation>Noch keine Ausgabe.</translation>
    </message>
    <message>
        <location filename="../ui/JobView.cpp" line="146"/>
        <source>Job #%1</source>
        <translation>Job #%1</translation>
    </message>
    <message>
        <location filename="../ui/JobView.cpp" line="147"/>
        <source>%1 #%2</source>
        <translation>%1 #%2</translation>
    </message>
    <message>
        <location filename="../ui/JobView.cpp" line="174"/>
        <source>Job %1 could not be canceled: %2</source>
        <translation>Job %1 konnte nicht abgebrochen werden: %2</translation>
    </message>
    <message>
        <location filename="../ui/JobView.cpp" line="190"/>
        <source>Job %1 could not be relaunched: %2</source>
        <translation>Job %1 konnte nicht erneut gestartet werden: %2</translation>
    </message>
    <message>
        <location filename="../ui/JobView.cpp" line="210"/>
        <source>Job %1 could not be loaded: %2</source>
        <translation>Job %1 konnte nicht geladen werden: %2</translation>
    </message>
    <message>
        <location filename="../ui/JobView.cpp" line="232"/>
        <source>The output of job %1 could not be loaded: %2</source>
        <translation>Die Ausgabe von Job %1 konnte nicht geladen werden: %2</translation>
    </message>
    <message>
        <location filename="../ui/JobView.cpp" line="306"/>
        <source>loading…</source>
        <translation>wird geladen…</translation>
    </message>
    <message>
        <location filename="../ui/JobView.cpp" line="317"/>
        <source>Playbook: %1</source>
        <translation>Playbook: %1</translation>
    </message>
    <message>
        <location filename="../ui/JobView.cpp" line="321"/>
        <location filename="../ui/JobView.cpp" line="323"/>
        <source>Started: %1</source>
        <translation>Gestartet: %1</translation>
    </message>
    <message>
        <location filename="../ui/JobView.cpp" line="326"/>
        <location filename="../ui/JobView.cpp" line="328"/>
        <source>Finished: %1</source>
        <translation>Beendet: %1</translation>
    </message>
    <message>
        <location filename="../ui/JobView.cpp" line="331"/>
        <source>Node: %1</source>
        <translation>Knoten: %1</translation>
    </message>
</context>
<context>
    <name>playdeck::LaunchDialog</name>
    <message>
        <location filename="../ui/LaunchDialog.cpp" line="27"/>
        <source>Launch %1</source>
        <translation>%1 starten</translation>
    </message>
    <message>
        <location filename="../ui/LaunchDialog.cpp" line="49"/>
        <source>(none)</source>
        <translation>(keine)</translation>
    </message>
    <message>
        <location filename="../ui/LaunchDialog.cpp" line="52"/>
        <source>The template&apos;s own variables. Variables entered below are merged over them.</source>
        <translation>Die Variablen der Vorlage. Die unten eingegebenen Variablen werden darübergelegt.</translation>
    </message>
    <message>
        <location filename="../ui/LaunchDialog.cpp" line="58"/>
        <source>YAML or JSON, for example:
name: value</source>
        <translation>YAML oder JSON, zum Beispiel:
name: wert</translation>
    </message>
    <message>
        <location filename="../ui/LaunchDialog.cpp" line="72"/>
        <source>all hosts</source>
        <translation>alle Hosts</translation>
    </message>
    <message>
        <location filename="../ui/LaunchDialog.cpp" line="73"/>
        <source>A host pattern that narrows the inventory, such as webservers:!db1. Leave empty to keep the template&apos;s limit.</source>
        <translation>Ein Host-Muster, das das Inventar eingrenzt, etwa webservers:!db1. Leer lassen, um die Eingrenzung der Vorlage zu behalten.</translation>
    </message>
    <message>
        <location filename="../ui/LaunchDialog.cpp" line="79"/>
        <source>Normal</source>
        <translation>Normal</translation>
    </message>
    <message>
        <location filename="../ui/LaunchDialog.cpp" line="79"/>
        <source>Verbose</source>
        <translation>Ausführlich</translation>
    </message>
    <message>
        <location filename="../ui/LaunchDialog.cpp" line="79"/>
        <source>More Verbose</source>
        <translation>Ausführlicher</translation>
    </message>
    <message>
        <location filename="../ui/LaunchDialog.cpp" line="80"/>
        <source>Debug</source>
        <translation>Debug</translation>
    </message>
    <message>
        <location filename="../ui/LaunchDialog.cpp" line="80"/>
        <source>Connection Debug</source>
        <translation>Verbindungs-Debug</translation>
    </message>
    <message>
        <location filename="../ui/LaunchDialog.cpp" line="80"/>
        <source>WinRM Debug</source>
        <translation>WinRM-Debug</translation>
    </message>
    <message>
        <location filename="../ui/LaunchDialog.cpp" line="82"/>
        <source>%1 (%2)</source>
        <translation>%1 (%2)</translation>
    </message>
    <message>
        <location filename="../ui/LaunchDialog.cpp" line="85"/>
        <source>Check mode (report what would change, change nothing)</source>
        <translation>Prüfmodus (zeigt, was sich ändern würde, ändert nichts)</translation>
    </message>
    <message>
        <location filename="../ui/LaunchDialog.cpp" line="91"/>
        <source>Template variables:</source>
        <translation>Variablen der Vorlage:</translation>
    </message>
    <message>
        <location filename="../ui/LaunchDialog.cpp" line="95"/>
        <source>E&amp;xtra variables:</source>
        <translation>&amp;Zusätzliche Variablen:</translation>
    </message>
    <message>
        <location filename="../ui/LaunchDialog.cpp" line="98"/>
        <source>&amp;Limit:</source>
        <translation>&amp;Eingrenzung:</translation>
    </message>
    <message>
        <location filename="../ui/LaunchDialog.cpp" line="99"/>
        <source>&amp;Verbosity:</source>
        <translation>&amp;Ausführlichkeit:</translation>
    </message>
    <message>
        <location filename="../ui/LaunchDialog.cpp" line="103"/>
        <source>&amp;Launch</source>
        <translation>&amp;Starten</translation>
    </message>
</context>
<context>
    <name>playdeck::MainWindow</name>
    <message>
        <location filename="../ui/MainWindow.cpp" line="29"/>
        <source>Playdeck</source>
        <translation>Playdeck</translation>
    </message>
    <message>
        <location filename="../ui/MainWindow.cpp" line="35"/>
        <source>&amp;Templates</source>
        <translation>&amp;Vorlagen</translation>
    </message>
    <message>
        <location filename="../ui/MainWindow.cpp" line="44"/>
        <location filename="../ui/MainWindow.cpp" line="147"/>
        <source>&amp;Launch…</source>
        <translation>&amp;Starten…</translation>
    </message>
    <message>
        <location filename="../ui/MainWindow.cpp" line="46"/>
        <location filename="../ui/MainWindow.cpp" line="149"/>
        <source>Launch a job from the selected template</source>
        <translation>Einen Job aus der gewählten Vorlage starten</translation>
    </message>
    <message>
        <location filename="../ui/MainWindow.cpp" line="56"/>
        <source>J&amp;obs</source>
        <translation>J&amp;obs</translation>
    </message>
    <message>
        <location filename="../ui/MainWindow.cpp" line="125"/>
        <source>Templates could not be loaded: %1</source>
        <translation>Die Vorlagen konnten nicht geladen werden: %1</translation>
    </message>
    <message>
        <location filename="../ui/MainWindow.cpp" line="128"/>
        <source>Jobs could not be loaded: %1</source>
        <translation>Die Jobs konnten nicht geladen werden: %1</translation>
    </message>
    <message>
        <location filename="../ui/MainWindow.cpp" line="142"/>
        <source>&amp;Quit</source>
        <translation>&amp;Beenden</translation>
    </message>
    <message>
        <location filename="../ui/MainWindow.cpp" line="152"/>
        <source>&amp;Cancel</source>
        <translation>&amp;Abbrechen</translation>
    </message>
    <message>
        <location filename="../ui/MainWindow.cpp" line="154"/>
        <source>Stop the job shown</source>
        <translation>Den angezeigten Job anhalten</translation>
    </message>
    <message>
        <location filename="../ui/MainWindow.cpp" line="157"/>
        <source>&amp;Relaunch</source>
        <translation>&amp;Erneut starten</translation>
    </message>
    <message>
        <location filename="../ui/MainWindow.cpp" line="159"/>
        <source>Launch the job shown again with the same settings</source>
        <translation>Den angezeigten Job mit denselben Einstellungen erneut starten</translation>
    </message>
    <message>
        <location filename="../ui/MainWindow.cpp" line="164"/>
        <source>&amp;File</source>
        <translation>&amp;Datei</translation>
    </message>
    <message>
        <location filename="../ui/MainWindow.cpp" line="167"/>
        <source>&amp;Job</source>
        <translation>&amp;Job</translation>
    </message>
    <message>
        <location filename="../ui/MainWindow.cpp" line="205"/>
        <source>Launching…</source>
        <translation>Wird gestartet…</translation>
    </message>
    <message>
        <location filename="../ui/MainWindow.cpp" line="209"/>
        <source>Launch failed</source>
        <translation>Start fehlgeschlagen</translation>
    </message>
    <message>
        <location filename="../ui/MainWindow.cpp" line="212"/>
        <source>Job %1 launched.</source>
        <translation>Job %1 gestartet.</translation>
    </message>
</context>
<context>
    <name>playdeck::NotifyBus</name>
    <message>
        <location filename="../engine/db/NotifyBus.cpp" line="67"/>
        <source>The connection to PostgreSQL was lost.</source>
        <translation>Die Verbindung zu PostgreSQL ging verloren.</translation>
    </message>
</context>
<context>
    <name>playdeck::TemplateListModel</name>
    <message>
        <location filename="../ui/TemplateListModel.cpp" line="25"/>
        <source>Playbook: %1</source>
        <translation>Playbook: %1</translation>
    </message>
    <message>
        <location filename="../ui/TemplateListModel.cpp" line="27"/>
        <source>Project: %1</source>
        <translation>Projekt: %1</translation>
    </message>
    <message>
        <location filename="../ui/TemplateListModel.cpp" line="29"/>
        <source>Inventory: %1</source>
        <translation>Inventar: %1</translation>
    </message>
</context>
</TS>
