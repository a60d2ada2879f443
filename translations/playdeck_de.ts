<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="de_DE">
<context>
    <name>FileArtifactSink</name>
    <message>
        <location filename="../engine/runner/ArtifactSink.cpp" line="15"/>
        <source>The runner sent a second artifacts block.</source>
        <translation>Der Runner hat einen zweiten Artefaktblock gesendet.</translation>
    </message>
    <message>
        <location filename="../engine/runner/ArtifactSink.cpp" line="17"/>
        <source>The runner announced a negative artifacts size.</source>
        <translation>Der Runner hat eine negative Artefaktgröße angekündigt.</translation>
    </message>
    <message>
        <location filename="../engine/runner/ArtifactSink.cpp" line="24"/>
        <source>Cannot create %1 for the job&apos;s artifacts: %2</source>
        <translation>%1 kann für die Artefakte des Jobs nicht angelegt werden: %2</translation>
    </message>
    <message>
        <location filename="../engine/runner/ArtifactSink.cpp" line="31"/>
        <location filename="../engine/runner/ArtifactSink.cpp" line="44"/>
        <source>The job&apos;s artifacts file %1 is not open.</source>
        <translation>Die Artefaktdatei %1 des Jobs ist nicht geöffnet.</translation>
    </message>
    <message>
        <location filename="../engine/runner/ArtifactSink.cpp" line="34"/>
        <source>The runner sent more artifacts than the %1 bytes it announced.</source>
        <translation>Der Runner hat mehr Artefakte gesendet als die angekündigten %1 Bytes.</translation>
    </message>
    <message>
        <location filename="../engine/runner/ArtifactSink.cpp" line="37"/>
        <location filename="../engine/runner/ArtifactSink.cpp" line="53"/>
        <source>Cannot write the job&apos;s artifacts to %1: %2</source>
        <translation>Die Artefakte des Jobs können nicht nach %1 geschrieben werden: %2</translation>
    </message>
    <message>
        <location filename="../engine/runner/ArtifactSink.cpp" line="48"/>
        <source>The runner sent %1 bytes of artifacts but announced %2.</source>
        <translation>Der Runner hat %1 Bytes Artefakte gesendet, aber %2 angekündigt.</translation>
    </message>
</context>
<context>
    <name>JobStatus</name>
    <message>
        <location filename="../ui/JobPresentation.cpp" line="13"/>
        <source>new</source>
        <translation>neu</translation>
    </message>
    <message>
        <location filename="../ui/JobPresentation.cpp" line="15"/>
        <source>pending</source>
        <translation>ausstehend</translation>
    </message>
    <message>
        <location filename="../ui/JobPresentation.cpp" line="17"/>
        <source>waiting</source>
        <translation>wartend</translation>
    </message>
    <message>
        <location filename="../ui/JobPresentation.cpp" line="19"/>
        <source>running</source>
        <translation>läuft</translation>
    </message>
    <message>
        <location filename="../ui/JobPresentation.cpp" line="21"/>
        <source>successful</source>
        <translation>erfolgreich</translation>
    </message>
    <message>
        <location filename="../ui/JobPresentation.cpp" line="23"/>
        <source>failed</source>
        <translation>fehlgeschlagen</translation>
    </message>
    <message>
        <location filename="../ui/JobPresentation.cpp" line="25"/>
        <source>error</source>
        <translation>Fehler</translation>
    </message>
    <message>
        <location filename="../ui/JobPresentation.cpp" line="27"/>
        <source>canceled</source>
        <translation>abgebrochen</translation>
    </message>
</context>
<context>
    <name>QObject</name>
    <message>
        <location filename="../engine/db/Connections.cpp" line="31"/>
        <source>The Qt PostgreSQL driver (QPSQL) is not installed; install the Debian package libqt6sql6-psql.</source>
        <translation>Der Qt-PostgreSQL-Treiber (QPSQL) ist nicht installiert; bitte das Debian-Paket libqt6sql6-psql installieren.</translation>
    </message>
    <message>
        <location filename="../engine/db/Connections.cpp" line="44"/>
        <location filename="../engine/db/Connections.cpp" line="53"/>
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
        <location filename="../engine/launch/ExtraVars.cpp" line="358"/>
        <source>Extra variables are longer than %1 bytes (%2 MiB), more than is accepted.</source>
        <translation>Die zusätzlichen Variablen sind länger als %1 Bytes (%2 MiB); mehr wird nicht angenommen.</translation>
    </message>
    <message>
        <location filename="../engine/launch/ExtraVars.cpp" line="380"/>
        <source>Extra variables must be a mapping of names to values, like {&quot;name&quot;: &quot;value&quot;} or name: value.</source>
        <translation>Zusätzliche Variablen müssen eine Zuordnung von Namen zu Werten sein, etwa {&quot;name&quot;: &quot;value&quot;} oder name: value.</translation>
    </message>
    <message>
        <location filename="../engine/launch/TreeBuilder.cpp" line="48"/>
        <source>line %1, column %2</source>
        <translation>Zeile %1, Spalte %2</translation>
    </message>
    <message>
        <location filename="../engine/launch/TreeBuilder.cpp" line="68"/>
        <source>Extra variables are nested more than %1 levels deep at %2.</source>
        <translation>Die zusätzlichen Variablen sind in %2 tiefer als %1 Ebenen verschachtelt.</translation>
    </message>
    <message>
        <location filename="../engine/launch/TreeBuilder.cpp" line="74"/>
        <source>Extra variables cannot be stored: the integer %1 at %2 (%3) is outside the 64-bit range.</source>
        <translation>Die zusätzlichen Variablen können nicht gespeichert werden: Die Ganzzahl %1 in %2 (%3) liegt außerhalb des 64-Bit-Bereichs.</translation>
    </message>
    <message>
        <location filename="../engine/launch/TreeBuilder.cpp" line="80"/>
        <source>Extra variables cannot be stored: %1 at %2 (%3) is infinite or not a number, which JSON cannot hold.</source>
        <translation>Die zusätzlichen Variablen können nicht gespeichert werden: %1 in %2 (%3) ist unendlich oder keine Zahl, was JSON nicht darstellen kann.</translation>
    </message>
    <message>
        <location filename="../engine/launch/TreeBuilder.cpp" line="89"/>
        <source>Extra variables cannot be read: %1</source>
        <translation>Die zusätzlichen Variablen können nicht gelesen werden: %1</translation>
    </message>
    <message>
        <location filename="../engine/launch/TreeBuilder.cpp" line="207"/>
        <location filename="../engine/launch/YamlReader.cpp" line="43"/>
        <source>a single value</source>
        <translation>ein einzelner Wert</translation>
    </message>
    <message>
        <location filename="../engine/launch/TreeBuilder.cpp" line="209"/>
        <location filename="../engine/launch/YamlReader.cpp" line="45"/>
        <source>a list</source>
        <translation>eine Liste</translation>
    </message>
    <message>
        <location filename="../engine/launch/TreeBuilder.cpp" line="211"/>
        <location filename="../engine/launch/YamlReader.cpp" line="47"/>
        <source>a mapping</source>
        <translation>eine Zuordnung</translation>
    </message>
    <message>
        <location filename="../engine/launch/TreeBuilder.cpp" line="243"/>
        <source>a top-level key</source>
        <translation>einem Schlüssel der obersten Ebene</translation>
    </message>
    <message>
        <location filename="../engine/launch/TreeBuilder.cpp" line="243"/>
        <source>a key of %1</source>
        <translation>einem Schlüssel von %1</translation>
    </message>
    <message>
        <location filename="../engine/launch/TreeBuilder.cpp" line="252"/>
        <source>the top level</source>
        <translation>der obersten Ebene</translation>
    </message>
    <message>
        <location filename="../engine/launch/TreeBuilder.cpp" line="259"/>
        <source>there are more than %1 keys and values (%2).</source>
        <translation>Es gibt mehr als %1 Schlüssel und Werte (%2).</translation>
    </message>
    <message>
        <location filename="../engine/launch/TreeBuilder.cpp" line="268"/>
        <source>the anchor &amp;%1 is defined twice, at %2 and at %3.</source>
        <translation>Der Anker &amp;%1 ist doppelt definiert, in %2 und in %3.</translation>
    </message>
    <message>
        <location filename="../engine/launch/TreeBuilder.cpp" line="280"/>
        <location filename="../engine/launch/TreeBuilder.cpp" line="298"/>
        <source>a key must be a single value, not %1 (%2).</source>
        <translation>Ein Schlüssel muss ein einzelner Wert sein, nicht %1 (%2).</translation>
    </message>
    <message>
        <location filename="../engine/launch/TreeBuilder.cpp" line="351"/>
        <source>the merge key &lt;&lt; at %1 needs a mapping or a list of mappings, not %2 (%3).</source>
        <translation>Der Merge-Schlüssel &lt;&lt; in %1 braucht eine Zuordnung oder eine Liste von Zuordnungen, gefunden wurde aber %2 (%3).</translation>
    </message>
    <message>
        <location filename="../engine/launch/TreeBuilder.cpp" line="354"/>
        <source>a list of other values</source>
        <translation>eine Liste anderer Werte</translation>
    </message>
    <message>
        <location filename="../engine/launch/TreeBuilder.cpp" line="367"/>
        <source>the plain value %1 at %2 (%3) has a meaning in YAML 1.1 only as a key; quote it (&quot;%1&quot;) to mean the text.</source>
        <translation>Der Wert %1 ohne Anführungszeichen in %2 (%3) hat in YAML 1.1 nur als Schlüssel eine Bedeutung; in Anführungszeichen (&quot;%1&quot;) steht er für den Text.</translation>
    </message>
    <message>
        <location filename="../engine/launch/TreeBuilder.cpp" line="380"/>
        <source>the merge key &lt;&lt; needs mappings in its list, not %1 (%2).</source>
        <translation>Der Merge-Schlüssel &lt;&lt; braucht in seiner Liste Zuordnungen, gefunden wurde aber %1 (%2).</translation>
    </message>
    <message>
        <location filename="../engine/launch/TreeBuilder.cpp" line="417"/>
        <source>a list or mapping ends that never began.</source>
        <translation>Eine Liste oder Zuordnung endet, die nie begonnen hat.</translation>
    </message>
    <message>
        <location filename="../engine/launch/TreeBuilder.cpp" line="473"/>
        <source>the alias *%1 has no anchor &amp;%1 before it (%2).</source>
        <translation>Vor dem Alias *%1 steht kein Anker &amp;%1 (%2).</translation>
    </message>
    <message>
        <location filename="../engine/launch/TreeBuilder.cpp" line="476"/>
        <source>the alias *%1 refers to the node that contains it (%2).</source>
        <translation>Der Alias *%1 verweist auf den Knoten, der ihn enthält (%2).</translation>
    </message>
    <message>
        <location filename="../engine/launch/TreeBuilder.cpp" line="484"/>
        <source>aliases expand to more than %1 values (an alias bomb?) at %2.</source>
        <translation>Aliasse expandieren in %2 zu mehr als %1 Werten (eine Alias-Bombe?).</translation>
    </message>
    <message>
        <location filename="../engine/launch/TreeBuilder.cpp" line="489"/>
        <source>aliases expand to more than %1 bytes of text (an alias bomb?) at %2.</source>
        <translation>Aliasse expandieren in %2 zu mehr als %1 Bytes Text (eine Alias-Bombe?).</translation>
    </message>
    <message>
        <location filename="../engine/store/TemplateStore.cpp" line="59"/>
        <source>There is no job template with id %1.</source>
        <translation>Es gibt keine Job-Vorlage (job template) mit der ID %1.</translation>
    </message>
    <message>
        <location filename="../engine/store/TemplateStore.cpp" line="60"/>
        <source>There is no job template named &quot;%1&quot;.</source>
        <translation>Es gibt keine Job-Vorlage (job template) namens &quot;%1&quot;.</translation>
    </message>
    <message>
        <location filename="../engine/services/JobService.cpp" line="22"/>
        <source>Verbosity must be between 0 and 5.</source>
        <translation>Die Ausführlichkeit muss zwischen 0 und 5 liegen.</translation>
    </message>
    <message>
        <location filename="../engine/services/JobService.cpp" line="25"/>
        <source>The job type must be run or check.</source>
        <translation>Der Job-Typ muss run oder check sein.</translation>
    </message>
    <message>
        <location filename="../engine/services/JobService.cpp" line="33"/>
        <source>The template&apos;s own extra variables are invalid: %1</source>
        <translation>Die eigenen zusätzlichen Variablen der Vorlage sind ungültig: %1</translation>
    </message>
    <message>
        <location filename="../engine/services/JobService.cpp" line="66"/>
        <source>Job %1 cannot be relaunched: its template was deleted.</source>
        <translation>Job %1 kann nicht erneut gestartet werden: Seine Vorlage wurde gelöscht.</translation>
    </message>
    <message>
        <location filename="../engine/store/UnifiedJobStore.cpp" line="214"/>
        <location filename="../engine/store/UnifiedJobStore.cpp" line="265"/>
        <source>There is no job %1.</source>
        <translation>Es gibt keinen Job %1.</translation>
    </message>
    <message>
        <location filename="../engine/store/UnifiedJobStore.cpp" line="217"/>
        <source>Job %1 has already finished (%2).</source>
        <translation>Job %1 ist bereits beendet (%2).</translation>
    </message>
    <message>
        <location filename="../engine/store/UnifiedJobStore.cpp" line="357"/>
        <source>its Playdeck instance %1 stopped before it had stored them</source>
        <translation>seine Playdeck-Instanz %1 wurde beendet, bevor sie sie gespeichert hatte</translation>
    </message>
    <message>
        <location filename="../engine/dispatch/InstanceRegistry.cpp" line="102"/>
        <location filename="../engine/runner/RunJob.cpp" line="48"/>
        <location filename="../engine/store/UnifiedJobStore.cpp" line="222"/>
        <source>Canceled before it started.</source>
        <translation>Vor dem Start abgebrochen.</translation>
    </message>
    <message>
        <location filename="../engine/db/SocketDir.cpp" line="26"/>
        <source>XDG_RUNTIME_DIR (%1) is not a private directory of this user (it must be owned by you with mode 0700). Fix it, or unset XDG_RUNTIME_DIR.</source>
        <translation>XDG_RUNTIME_DIR (%1) ist kein privates Verzeichnis dieses Benutzers (es muss ihm gehören und den Modus 0700 haben). Das Verzeichnis korrigieren oder XDG_RUNTIME_DIR entfernen.</translation>
    </message>
    <message>
        <location filename="../engine/db/SocketDir.cpp" line="41"/>
        <source>Cannot create a private directory for the database socket in %1: %2. Set XDG_RUNTIME_DIR to a private directory.</source>
        <translation>In %1 kann kein privates Verzeichnis für den Datenbank-Socket angelegt werden: %2. XDG_RUNTIME_DIR auf ein privates Verzeichnis setzen.</translation>
    </message>
    <message>
        <location filename="../engine/db/SocketDir.cpp" line="46"/>
        <location filename="../engine/runner/PlaybookPlan.cpp" line="23"/>
        <source>Cannot write %1: %2</source>
        <translation>%1 kann nicht geschrieben werden: %2</translation>
    </message>
    <message>
        <location filename="../engine/runner/PlaybookPlan.cpp" line="31"/>
        <source>The project directory %1 does not exist.</source>
        <translation>Das Projektverzeichnis %1 existiert nicht.</translation>
    </message>
    <message>
        <location filename="../engine/runner/PlaybookPlan.cpp" line="49"/>
        <source>Cannot copy %1 into the job&apos;s directory.</source>
        <translation>%1 kann nicht in das Verzeichnis des Jobs kopiert werden.</translation>
    </message>
    <message>
        <location filename="../engine/runner/PlaybookPlan.cpp" line="122"/>
        <source>The template&apos;s extra variables are invalid: %1</source>
        <translation>Die zusätzlichen Variablen der Vorlage sind ungültig: %1</translation>
    </message>
    <message>
        <location filename="../engine/runner/PlaybookPlan.cpp" line="126"/>
        <source>The extra variables given at launch are invalid: %1</source>
        <translation>Die beim Start angegebenen zusätzlichen Variablen sind ungültig: %1</translation>
    </message>
    <message>
        <location filename="../engine/runner/PlaybookPlan.cpp" line="201"/>
        <source>Cannot pack the job&apos;s files: %1</source>
        <translation>Die Dateien des Jobs können nicht gepackt werden: %1</translation>
    </message>
    <message>
        <location filename="../engine/runner/PlaybookPlan.cpp" line="131"/>
        <source>The playbook %1 is not in the project directory %2.</source>
        <translation>Das Playbook %1 liegt nicht im Projektverzeichnis %2.</translation>
    </message>
    <message>
        <location filename="../engine/runner/ZipArchive.cpp" line="68"/>
        <source>Cannot read the symlink %1 for the job.</source>
        <translation>Der Symlink %1 kann für den Job nicht gelesen werden.</translation>
    </message>
    <message>
        <location filename="../engine/runner/ZipArchive.cpp" line="76"/>
        <source>Cannot read %1 for the job: %2</source>
        <translation>%1 kann für den Job nicht gelesen werden: %2</translation>
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
    <message>
        <location filename="../engine/bus/Publisher.cpp" line="15"/>
        <source>No database connection to send a notification on.</source>
        <translation>Keine Datenbankverbindung, über die eine Benachrichtigung gesendet werden kann.</translation>
    </message>
    <message>
        <location filename="../engine/dispatch/InstanceRegistry.cpp" line="112"/>
        <source>Job was reaped: its Playdeck instance %1 stopped (it exited, crashed or stopped answering) while the job was running.</source>
        <translation>Der Job wurde bereinigt: Seine Playdeck-Instanz %1 wurde beendet (regulär, durch einen Absturz oder weil sie nicht mehr antwortete), während der Job lief.</translation>
    </message>
    <message>
        <location filename="../engine/launch/YamlReader.cpp" line="85"/>
        <location filename="../engine/launch/YamlReader.cpp" line="262"/>
        <source>Extra variables cannot be read: the YAML parser ran out of memory.</source>
        <translation>Die zusätzlichen Variablen können nicht gelesen werden: Dem YAML-Parser ist der Speicher ausgegangen.</translation>
    </message>
    <message>
        <location filename="../engine/launch/YamlReader.cpp" line="94"/>
        <source>Extra variables are neither valid YAML nor JSON: %1 (%2)</source>
        <translation>Die zusätzlichen Variablen sind weder gültiges YAML noch JSON: %1 (%2)</translation>
    </message>
    <message>
        <location filename="../engine/launch/YamlReader.cpp" line="96"/>
        <source>, %1 that starts at %2</source>
        <translation>, %1, beginnend in %2</translation>
    </message>
    <message>
        <location filename="../engine/launch/YamlReader.cpp" line="118"/>
        <source>Extra variables cannot be read: the value at %1 (%2) is encrypted with ansible-vault (!vault); extra variables cannot carry vaulted values.</source>
        <translation>Die zusätzlichen Variablen können nicht gelesen werden: Der Wert in %1 (%2) ist mit ansible-vault verschlüsselt (!vault); zusätzliche Variablen können keine mit Vault verschlüsselten Werte enthalten.</translation>
    </message>
    <message>
        <location filename="../engine/launch/YamlReader.cpp" line="124"/>
        <source>Extra variables cannot be read: the tag %1 at %2 (%3) is not supported in extra variables.</source>
        <translation>Die zusätzlichen Variablen können nicht gelesen werden: Das Tag %1 in %2 (%3) wird in zusätzlichen Variablen nicht unterstützt.</translation>
    </message>
    <message>
        <location filename="../engine/launch/YamlReader.cpp" line="143"/>
        <location filename="../engine/launch/YamlReader.cpp" line="246"/>
        <source>Extra variables cannot be read: the tag %1 at %2 (%3) does not go with %4.</source>
        <translation>Die zusätzlichen Variablen können nicht gelesen werden: Das Tag %1 in %2 (%3) passt nicht, denn dort steht %4.</translation>
    </message>
    <message>
        <location filename="../engine/launch/YamlReader.cpp" line="157"/>
        <source>Extra variables cannot be read: %1 at %2 (%3) is not a valid %4.</source>
        <translation>Die zusätzlichen Variablen können nicht gelesen werden: %1 in %2 (%3) ist als %4 ungültig.</translation>
    </message>
    <message>
        <location filename="../engine/launch/YamlReader.cpp" line="171"/>
        <source>integer</source>
        <translation>Ganzzahl</translation>
    </message>
    <message>
        <location filename="../engine/launch/YamlReader.cpp" line="176"/>
        <source>number</source>
        <translation>Zahl</translation>
    </message>
    <message>
        <location filename="../engine/launch/YamlReader.cpp" line="227"/>
        <source>boolean (yes, no, true, false, on, off)</source>
        <translation>Wahrheitswert (yes, no, true, false, on, off)</translation>
    </message>
    <message>
        <location filename="../engine/launch/YamlReader.cpp" line="281"/>
        <source>Extra variables must be one YAML document, but a second document starts at %1.</source>
        <translation>Die zusätzlichen Variablen müssen ein einziges YAML-Dokument sein, aber in %1 beginnt ein zweites Dokument.</translation>
    </message>
    <message>
        <location filename="../engine/runner/FailureFacts.cpp" line="14"/>
        <source>%1 and %2 more</source>
        <translation>%1 und %2 weitere</translation>
    </message>
    <message>
        <location filename="../engine/runner/FailureFacts.cpp" line="32"/>
        <source>(unnamed task)</source>
        <translation>(unbenannte Aufgabe)</translation>
    </message>
    <message>
        <location filename="../engine/runner/FailureFacts.cpp" line="46"/>
        <source>1 host unreachable: %1.</source>
        <translation>1 Host nicht erreichbar: %1.</translation>
    </message>
    <message>
        <location filename="../engine/runner/FailureFacts.cpp" line="48"/>
        <source>%1 hosts unreachable: %2.</source>
        <translation>%1 Hosts nicht erreichbar: %2.</translation>
    </message>
    <message>
        <location filename="../engine/runner/FailureFacts.cpp" line="53"/>
        <source>Task &apos;%1&apos; failed.</source>
        <translation>Aufgabe &apos;%1&apos; fehlgeschlagen.</translation>
    </message>
    <message>
        <location filename="../engine/runner/FailureFacts.cpp" line="55"/>
        <source>Task &apos;%1&apos; failed on 1 host: %2.</source>
        <translation>Aufgabe &apos;%1&apos; auf 1 Host fehlgeschlagen: %2.</translation>
    </message>
    <message>
        <location filename="../engine/runner/FailureFacts.cpp" line="57"/>
        <source>Task &apos;%1&apos; failed on %2 hosts: %3.</source>
        <translation>Aufgabe &apos;%1&apos; auf %2 Hosts fehlgeschlagen: %3.</translation>
    </message>
    <message>
        <location filename="../engine/runner/InputWait.cpp" line="65"/>
        <source>%1 (variable %2)</source>
        <translation>%1 (Variable %2)</translation>
    </message>
    <message>
        <location filename="../engine/runner/InputWait.cpp" line="88"/>
        <source>Waiting for input at: %1. Nobody can answer a prompt here: cancel the job, or launch it again with the variable given as an extra variable (ansible then skips the prompt).</source>
        <translation>Wartet auf eine Eingabe für: %1. Hier kann niemand auf eine Eingabeaufforderung antworten: den Job abbrechen oder ihn erneut starten und die Variable dabei als zusätzliche Variable angeben (ansible überspringt dann die Eingabeaufforderung).</translation>
    </message>
    <message>
        <location filename="../engine/runner/OutcomeRules.cpp" line="32"/>
        <source>ansible-playbook exited with code %1.</source>
        <translation>ansible-playbook wurde mit Code %1 beendet.</translation>
    </message>
    <message>
        <location filename="../engine/runner/OutcomeRules.cpp" line="35"/>
        <source>The playbook could not be run (ansible-playbook exited with code %1); the output says why.</source>
        <translation>Das Playbook konnte nicht ausgeführt werden (ansible-playbook wurde mit Code %1 beendet); der Grund steht in der Ausgabe.</translation>
    </message>
    <message>
        <location filename="../engine/runner/OutcomeRules.cpp" line="42"/>
        <location filename="../engine/runner/OutcomeRules.cpp" line="90"/>
        <source>Job terminated due to timeout</source>
        <translation>Job wegen Zeitüberschreitung beendet</translation>
    </message>
    <message>
        <location filename="../engine/runner/OutcomeRules.cpp" line="47"/>
        <source>The running ansible process received a shutdown signal.</source>
        <translation>Der laufende ansible-Prozess hat ein Signal zum Herunterfahren erhalten.</translation>
    </message>
    <message>
        <location filename="../engine/runner/OutcomeRules.cpp" line="52"/>
        <source>ansible-runner ended its output without a final status.</source>
        <translation>ansible-runner hat seine Ausgabe ohne abschließenden Status beendet.</translation>
    </message>
    <message>
        <location filename="../engine/runner/OutcomeRules.cpp" line="55"/>
        <source>Job terminated due to error</source>
        <translation>Job wegen eines Fehlers beendet</translation>
    </message>
    <message>
        <location filename="../engine/runner/OutcomeRules.cpp" line="68"/>
        <source>The output of ansible-runner could not be read: %1</source>
        <translation>Die Ausgabe von ansible-runner konnte nicht gelesen werden: %1</translation>
    </message>
    <message>
        <location filename="../engine/runner/OutcomeRules.cpp" line="73"/>
        <source>ansible-runner worker was killed before it finished the job.</source>
        <translation>Der Prozess ansible-runner worker wurde zwangsweise beendet, bevor er den Job abgeschlossen hatte.</translation>
    </message>
    <message>
        <location filename="../engine/runner/OutcomeRules.cpp" line="74"/>
        <source>ansible-runner worker exited with code %1 before the end of its output.</source>
        <translation>Der Prozess ansible-runner worker wurde mit Code %1 beendet, bevor seine Ausgabe vollständig war.</translation>
    </message>
    <message>
        <location filename="../engine/runner/OutcomeRules.cpp" line="87"/>
        <source>Task was canceled due to receiving a shutdown signal.</source>
        <translation>Die Aufgabe wurde abgebrochen, weil ein Signal zum Herunterfahren empfangen wurde.</translation>
    </message>
    <message>
        <location filename="../engine/runner/OutcomeRules.cpp" line="101"/>
        <source>The runner&apos;s artifacts were refused: %1</source>
        <translation>Die Artefakte des Runners wurden abgelehnt: %1</translation>
    </message>
    <message>
        <location filename="../engine/store/InventoryStore.cpp" line="31"/>
        <location filename="../engine/store/InventoryStore.cpp" line="42"/>
        <source>There is no inventory with id %1.</source>
        <translation>Es gibt kein Inventar mit der ID %1.</translation>
    </message>
    <message>
        <location filename="../engine/store/ProjectStore.cpp" line="14"/>
        <source>The job&apos;s project (id %1) no longer exists.</source>
        <translation>Das Projekt des Jobs (ID %1) existiert nicht mehr.</translation>
    </message>
</context>
<context>
    <name>ResultStreamParser</name>
    <message>
        <location filename="../engine/runner/ResultStream.cpp" line="91"/>
        <source>The runner&apos;s output ends in the middle of the artifacts block on line %1 (%2 of %3 base64 characters arrived).</source>
        <translation>Die Ausgabe des Runners endet mitten im Artefaktblock in Zeile %1 (%2 von %3 Base64-Zeichen sind angekommen).</translation>
    </message>
    <message>
        <location filename="../engine/runner/ResultStream.cpp" line="97"/>
        <source>The runner&apos;s output ends in the middle of line %1.</source>
        <translation>Die Ausgabe des Runners endet mitten in Zeile %1.</translation>
    </message>
    <message>
        <location filename="../engine/runner/ResultStream.cpp" line="110"/>
        <source>Line %1 of the runner&apos;s output is longer than the limit of %2 bytes.</source>
        <translation>Zeile %1 der Ausgabe des Runners ist länger als die Grenze von %2 Bytes.</translation>
    </message>
    <message>
        <location filename="../engine/runner/ResultStream.cpp" line="143"/>
        <source>Line %1 of the runner&apos;s output goes on after the artifacts block with something that is not JSON (%2); is the block longer than the %3 bytes announced? %4</source>
        <translation>Zeile %1 der Ausgabe des Runners geht nach dem Artefaktblock mit etwas weiter, das kein JSON ist (%2); ist der Block länger als die angekündigten %3 Bytes? %4</translation>
    </message>
    <message>
        <location filename="../engine/runner/ResultStream.cpp" line="149"/>
        <source>Line %1 of the runner&apos;s output is not JSON (%2): %3</source>
        <translation>Zeile %1 der Ausgabe des Runners ist kein JSON (%2): %3</translation>
    </message>
    <message>
        <location filename="../engine/runner/ResultStream.cpp" line="154"/>
        <source>Line %1 of the runner&apos;s output is not a JSON object: %2</source>
        <translation>Zeile %1 der Ausgabe des Runners ist kein JSON-Objekt: %2</translation>
    </message>
    <message>
        <location filename="../engine/runner/ResultStream.cpp" line="178"/>
        <source>an event without a counter</source>
        <translation>ein Ereignis ohne Zähler</translation>
    </message>
    <message>
        <location filename="../engine/runner/ResultStream.cpp" line="182"/>
        <source>counter %1 is not a positive whole number</source>
        <translation>Zähler %1 ist keine positive ganze Zahl</translation>
    </message>
    <message>
        <location filename="../engine/runner/ResultStream.cpp" line="194"/>
        <source>duplicate counter %1</source>
        <translation>doppelter Zähler %1</translation>
    </message>
    <message>
        <location filename="../engine/runner/ResultStream.cpp" line="210"/>
        <source>Line %1 of the runner&apos;s output: the event counters are scattered over more than %2 runs.</source>
        <translation>Zeile %1 der Ausgabe des Runners: Die Ereigniszähler verteilen sich auf mehr als %2 getrennte Bereiche.</translation>
    </message>
    <message>
        <location filename="../engine/runner/ResultStream.cpp" line="225"/>
        <source>Line %1 of the runner&apos;s output announces a second artifacts block.</source>
        <translation>Zeile %1 der Ausgabe des Runners kündigt einen zweiten Artefaktblock an.</translation>
    </message>
    <message>
        <location filename="../engine/runner/ResultStream.cpp" line="229"/>
        <source>Line %1 of the runner&apos;s output announces an artifacts size of %2, which is not a whole number of bytes.</source>
        <translation>Zeile %1 der Ausgabe des Runners kündigt eine Artefaktgröße von %2 an, die keine ganze Zahl von Bytes ist.</translation>
    </message>
    <message>
        <location filename="../engine/runner/ResultStream.cpp" line="234"/>
        <source>Line %1 of the runner&apos;s output announces %2 bytes of artifacts, more than the limit of %3 bytes.</source>
        <translation>Zeile %1 der Ausgabe des Runners kündigt %2 Bytes Artefakte an, mehr als die Grenze von %3 Bytes.</translation>
    </message>
    <message>
        <location filename="../engine/runner/ResultStream.cpp" line="249"/>
        <location filename="../engine/runner/ResultStream.cpp" line="309"/>
        <location filename="../engine/runner/ResultStream.cpp" line="322"/>
        <source>Cannot store the job&apos;s artifacts (line %1 of the runner&apos;s output): %2</source>
        <translation>Die Artefakte des Jobs können nicht gespeichert werden (Zeile %1 der Ausgabe des Runners): %2</translation>
    </message>
    <message>
        <location filename="../engine/runner/ResultStream.cpp" line="272"/>
        <source>The artifacts block on line %1 of the runner&apos;s output is not valid base64: character %2 of %3 is %4%5.</source>
        <translation>Der Artefaktblock in Zeile %1 der Ausgabe des Runners ist kein gültiges Base64: Zeichen %2 von %3 ist %4%5.</translation>
    </message>
    <message>
        <location filename="../engine/runner/ResultStream.cpp" line="278"/>
        <source> where &apos;=&apos; padding belongs</source>
        <translation> an einer Stelle, an die das Füllzeichen &apos;=&apos; gehört</translation>
    </message>
    <message>
        <location filename="../engine/runner/ResultStream.cpp" line="281"/>
        <source>The block is shorter than the %1 bytes announced.</source>
        <translation>Der Block ist kürzer als die angekündigten %1 Bytes.</translation>
    </message>
    <message>
        <location filename="../engine/runner/ResultStream.cpp" line="338"/>
        <source>The runner&apos;s output goes on after its end marker, on line %1.</source>
        <translation>Die Ausgabe des Runners geht nach ihrer Endmarkierung weiter, in Zeile %1.</translation>
    </message>
    <message>
        <location filename="../engine/runner/ResultStream.cpp" line="356"/>
        <source>line %1 (%2)</source>
        <translation>Zeile %1 (%2)</translation>
    </message>
    <message>
        <location filename="../engine/runner/ResultStream.cpp" line="359"/>
        <source>1 line of the runner&apos;s output was refused: %1</source>
        <translation>1 Zeile der Ausgabe des Runners wurde abgelehnt: %1</translation>
    </message>
    <message>
        <location filename="../engine/runner/ResultStream.cpp" line="360"/>
        <source>%1 lines of the runner&apos;s output were refused: %2</source>
        <translation>%1 Zeilen der Ausgabe des Runners wurden abgelehnt: %2</translation>
    </message>
    <message>
        <location filename="../engine/runner/ResultStream.cpp" line="364"/>
        <source> and %1 more</source>
        <translation> und %1 weitere</translation>
    </message>
</context>
<context>
    <name>SafeUnpacker</name>
    <message>
        <location filename="../engine/runner/SafeUnpacker.cpp" line="78"/>
        <source>The job&apos;s artifacts were refused at entry %1 (&quot;%2&quot;): %3</source>
        <translation>Die Artefakte des Jobs wurden bei Eintrag %1 (&quot;%2&quot;) abgelehnt: %3</translation>
    </message>
    <message>
        <location filename="../engine/runner/SafeUnpacker.cpp" line="87"/>
        <source>its name cannot be read</source>
        <translation>Der Name kann nicht gelesen werden</translation>
    </message>
    <message>
        <location filename="../engine/runner/SafeUnpacker.cpp" line="90"/>
        <source>its name is empty</source>
        <translation>Der Name ist leer</translation>
    </message>
    <message>
        <location filename="../engine/runner/SafeUnpacker.cpp" line="92"/>
        <source>its name is longer than %1 bytes</source>
        <translation>Der Name ist länger als %1 Bytes</translation>
    </message>
    <message>
        <location filename="../engine/runner/SafeUnpacker.cpp" line="94"/>
        <source>its name is an absolute path</source>
        <translation>Der Name ist ein absoluter Pfad</translation>
    </message>
    <message>
        <location filename="../engine/runner/SafeUnpacker.cpp" line="98"/>
        <source>its name contains a backslash</source>
        <translation>Der Name enthält einen Backslash</translation>
    </message>
    <message>
        <location filename="../engine/runner/SafeUnpacker.cpp" line="103"/>
        <source>its name contains &apos;..&apos;</source>
        <translation>Der Name enthält &apos;..&apos;</translation>
    </message>
    <message>
        <location filename="../engine/runner/SafeUnpacker.cpp" line="105"/>
        <source>a part of its name is longer than %1 bytes</source>
        <translation>Ein Teil des Namens ist länger als %1 Bytes</translation>
    </message>
    <message>
        <location filename="../engine/runner/SafeUnpacker.cpp" line="109"/>
        <source>its name is the destination itself</source>
        <translation>Der Name bezeichnet das Zielverzeichnis selbst</translation>
    </message>
    <message>
        <location filename="../engine/runner/SafeUnpacker.cpp" line="120"/>
        <source>it is a symlink without a target</source>
        <translation>Er ist ein Symlink ohne Ziel</translation>
    </message>
    <message>
        <location filename="../engine/runner/SafeUnpacker.cpp" line="122"/>
        <source>its symlink target is longer than %1 bytes</source>
        <translation>Das Symlink-Ziel ist länger als %1 Bytes</translation>
    </message>
    <message>
        <location filename="../engine/runner/SafeUnpacker.cpp" line="124"/>
        <source>it is a symlink to an absolute path</source>
        <translation>Er ist ein Symlink auf einen absoluten Pfad</translation>
    </message>
    <message>
        <location filename="../engine/runner/SafeUnpacker.cpp" line="126"/>
        <source>its symlink target contains a backslash</source>
        <translation>Das Symlink-Ziel enthält einen Backslash</translation>
    </message>
    <message>
        <location filename="../engine/runner/SafeUnpacker.cpp" line="138"/>
        <source>its symlink target uses &apos;..&apos; after a name</source>
        <translation>Das Symlink-Ziel verwendet &apos;..&apos; nach einem Namen</translation>
    </message>
    <message>
        <location filename="../engine/runner/SafeUnpacker.cpp" line="140"/>
        <source>it is a symlink pointing outside the artifacts</source>
        <translation>Er ist ein Symlink, der aus den Artefakten hinauszeigt</translation>
    </message>
    <message>
        <location filename="../engine/runner/SafeUnpacker.cpp" line="147"/>
        <source>it is a hard link</source>
        <translation>Er ist ein Hardlink</translation>
    </message>
    <message>
        <location filename="../engine/runner/SafeUnpacker.cpp" line="156"/>
        <source>it is a device</source>
        <translation>Er ist eine Gerätedatei</translation>
    </message>
    <message>
        <location filename="../engine/runner/SafeUnpacker.cpp" line="158"/>
        <source>it is a FIFO</source>
        <translation>Er ist ein FIFO</translation>
    </message>
    <message>
        <location filename="../engine/runner/SafeUnpacker.cpp" line="160"/>
        <source>it is a socket</source>
        <translation>Er ist ein Socket</translation>
    </message>
    <message>
        <location filename="../engine/runner/SafeUnpacker.cpp" line="162"/>
        <source>it is not a file, a directory or a symlink</source>
        <translation>Er ist weder eine Datei noch ein Verzeichnis noch ein Symlink</translation>
    </message>
    <message>
        <location filename="../engine/runner/SafeUnpacker.cpp" line="177"/>
        <source>its data cannot be read: %1</source>
        <translation>Seine Daten können nicht gelesen werden: %1</translation>
    </message>
    <message>
        <location filename="../engine/runner/SafeUnpacker.cpp" line="180"/>
        <source>its data has holes</source>
        <translation>Seine Daten haben Lücken</translation>
    </message>
    <message>
        <location filename="../engine/runner/SafeUnpacker.cpp" line="183"/>
        <source>it holds more data than its header says</source>
        <translation>Er enthält mehr Daten, als sein Header angibt</translation>
    </message>
    <message>
        <location filename="../engine/runner/SafeUnpacker.cpp" line="185"/>
        <location filename="../engine/runner/SafeUnpacker.cpp" line="238"/>
        <source>the artifacts unpack to more than %1 bytes</source>
        <translation>Die Artefakte ergeben entpackt mehr als %1 Bytes</translation>
    </message>
    <message>
        <location filename="../engine/runner/SafeUnpacker.cpp" line="187"/>
        <source>cannot write it: %1</source>
        <translation>Er kann nicht geschrieben werden: %1</translation>
    </message>
    <message>
        <location filename="../engine/runner/SafeUnpacker.cpp" line="196"/>
        <source>Cannot create %1 for the job&apos;s artifacts.</source>
        <translation>%1 kann für die Artefakte des Jobs nicht angelegt werden.</translation>
    </message>
    <message>
        <location filename="../engine/runner/SafeUnpacker.cpp" line="201"/>
        <source>Cannot find %1 for the job&apos;s artifacts.</source>
        <translation>%1 kann für die Artefakte des Jobs nicht gefunden werden.</translation>
    </message>
    <message>
        <location filename="../engine/runner/SafeUnpacker.cpp" line="208"/>
        <source>Cannot read the job&apos;s artifacts %1: %2</source>
        <translation>Die Artefakte %1 des Jobs können nicht gelesen werden: %2</translation>
    </message>
    <message>
        <location filename="../engine/runner/SafeUnpacker.cpp" line="226"/>
        <source>the archive cannot be read: %1</source>
        <translation>Das Archiv kann nicht gelesen werden: %1</translation>
    </message>
    <message>
        <location filename="../engine/runner/SafeUnpacker.cpp" line="229"/>
        <source>the artifacts have more than %1 entries</source>
        <translation>Die Artefakte haben mehr als %1 Einträge</translation>
    </message>
    <message>
        <location filename="../engine/runner/SafeUnpacker.cpp" line="266"/>
        <source>Cannot finish unpacking the job&apos;s artifacts: %1</source>
        <translation>Das Entpacken der Artefakte des Jobs kann nicht abgeschlossen werden: %1</translation>
    </message>
</context>
<context>
    <name>main</name>
    <message>
        <location filename="../app/main.cpp" line="73"/>
        <source>The database answers again.</source>
        <translation>Die Datenbank antwortet wieder.</translation>
    </message>
</context>
<context>
    <name>playdeck::CallbackReceiver</name>
    <message>
        <location filename="../engine/events/CallbackReceiver.cpp" line="97"/>
        <source>For %1 s Playdeck could not record that all events of a job are stored: %2. It keeps trying.</source>
        <translation>Seit %1 s kann Playdeck nicht festhalten, dass alle Ereignisse eines Jobs gespeichert sind: %2. Es versucht es weiter.</translation>
    </message>
    <message>
        <location filename="../engine/events/CallbackReceiver.cpp" line="102"/>
        <source>1 event could not be stored for %1 s: %2. Playdeck keeps it and keeps trying.</source>
        <translation>1 Ereignis konnte seit %1 s nicht gespeichert werden: %2. Playdeck behält es und versucht es weiter.</translation>
    </message>
    <message>
        <location filename="../engine/events/CallbackReceiver.cpp" line="105"/>
        <source>%1 events could not be stored for %2 s: %3. Playdeck keeps them and keeps trying.</source>
        <translation>%1 Ereignisse konnten seit %2 s nicht gespeichert werden: %3. Playdeck behält sie und versucht es weiter.</translation>
    </message>
    <message>
        <location filename="../engine/events/CallbackReceiver.cpp" line="163"/>
        <source>the database refused it: %1</source>
        <translation>die Datenbank hat es abgelehnt: %1</translation>
    </message>
</context>
<context>
    <name>playdeck::ClusterKeeper</name>
    <message>
        <location filename="../engine/db/ClusterKeeper.cpp" line="38"/>
        <source>The database server stopped answering; it is being restarted.</source>
        <translation>Der Datenbankserver antwortet nicht mehr; er wird neu gestartet.</translation>
    </message>
</context>
<context>
    <name>playdeck::Commands</name>
    <message>
        <location filename="../app/Commands.cpp" line="43"/>
        <source>usage: playdeck %1</source>
        <translation>Aufruf: playdeck %1</translation>
    </message>
    <message>
        <location filename="../app/Commands.cpp" line="53"/>
        <source>&apos;%1&apos; is not a job id</source>
        <translation>&apos;%1&apos; ist keine Job-ID</translation>
    </message>
    <message>
        <location filename="../app/Commands.cpp" line="91"/>
        <source>The database answers again.</source>
        <translation>Die Datenbank antwortet wieder.</translation>
    </message>
    <message>
        <location filename="../app/Commands.cpp" line="168"/>
        <source>Name of the job template.</source>
        <translation>Name der Job-Vorlage.</translation>
    </message>
    <message>
        <location filename="../app/Commands.cpp" line="170"/>
        <source>Extra variables: JSON, YAML or @file.</source>
        <translation>Zusätzliche Variablen: JSON, YAML oder @Datei.</translation>
    </message>
    <message>
        <location filename="../app/Commands.cpp" line="172"/>
        <source>Host pattern to limit the run to.</source>
        <translation>Host-Muster, auf das der Lauf beschränkt wird.</translation>
    </message>
    <message>
        <location filename="../app/Commands.cpp" line="174"/>
        <source>0 (normal) to 5.</source>
        <translation>0 (normal) bis 5.</translation>
    </message>
    <message>
        <location filename="../app/Commands.cpp" line="176"/>
        <source>Run in check mode.</source>
        <translation>Im Prüfmodus ausführen.</translation>
    </message>
    <message>
        <location filename="../app/Commands.cpp" line="178"/>
        <source>Stream the job&apos;s output until it ends.</source>
        <translation>Die Ausgabe des Jobs bis zu seinem Ende anzeigen.</translation>
    </message>
    <message>
        <location filename="../app/Commands.cpp" line="191"/>
        <source>cannot read %1: %2</source>
        <translation>%1 kann nicht gelesen werden: %2</translation>
    </message>
    <message>
        <location filename="../app/Commands.cpp" line="287"/>
        <source>How many jobs (default 50).</source>
        <translation>Wie viele Jobs (Standard 50).</translation>
    </message>
    <message>
        <location filename="../app/Commands.cpp" line="311"/>
        <location filename="../app/Commands.cpp" line="338"/>
        <location filename="../app/Commands.cpp" line="353"/>
        <source>Job id.</source>
        <translation>Job-ID.</translation>
    </message>
    <message>
        <location filename="../app/Commands.cpp" line="340"/>
        <source>One JSON object per line (the default).</source>
        <translation>Ein JSON-Objekt pro Zeile (Standard).</translation>
    </message>
</context>
<context>
    <name>playdeck::Dispatcher</name>
    <message>
        <location filename="../engine/dispatch/Dispatcher.cpp" line="99"/>
        <source>Task was marked as running but was not present in the job queue, so it has been marked as failed.</source>
        <translation>Der Job war als laufend markiert, stand aber in keiner Warteschlange und wurde daher als fehlgeschlagen markiert.</translation>
    </message>
</context>
<context>
    <name>playdeck::EmbeddedCluster</name>
    <message>
        <location filename="../engine/db/EmbeddedCluster.cpp" line="135"/>
        <source>PostgreSQL server binaries were not found under /usr/lib/postgresql. Install them with: sudo apt-get install postgresql (or set PLAYDECK_PG_BINDIR).</source>
        <translation>Die Programmdateien des PostgreSQL-Servers wurden unter /usr/lib/postgresql nicht gefunden. Installation mit: sudo apt-get install postgresql (oder PLAYDECK_PG_BINDIR setzen).</translation>
    </message>
    <message>
        <location filename="../engine/db/EmbeddedCluster.cpp" line="141"/>
        <source>Playdeck runs as root, so its database server must run as the &apos;postgres&apos; system user, which does not exist. Install the postgresql package.</source>
        <translation>Playdeck läuft als root, daher muss sein Datenbankserver als Systembenutzer &apos;postgres&apos; laufen, den es aber nicht gibt. Bitte das Paket postgresql installieren.</translation>
    </message>
    <message>
        <location filename="../engine/db/EmbeddedCluster.cpp" line="228"/>
        <source>Cannot lock %1: %2</source>
        <translation>%1 kann nicht gesperrt werden: %2</translation>
    </message>
    <message>
        <location filename="../engine/db/EmbeddedCluster.cpp" line="170"/>
        <source>Cannot create %1: %2</source>
        <translation>%1 kann nicht angelegt werden: %2</translation>
    </message>
    <message>
        <location filename="../engine/db/EmbeddedCluster.cpp" line="106"/>
        <source>The data directory %1 cannot be created or written. Choose another one with --data-dir or PLAYDECK_DATA_DIR.</source>
        <translation>Das Datenverzeichnis %1 kann nicht angelegt oder beschrieben werden. Mit --data-dir oder PLAYDECK_DATA_DIR ein anderes wählen.</translation>
    </message>
    <message>
        <location filename="../engine/db/EmbeddedCluster.cpp" line="112"/>
        <source>Cannot create the directory %1 for the database.</source>
        <translation>Das Verzeichnis %1 für die Datenbank kann nicht angelegt werden.</translation>
    </message>
    <message>
        <location filename="../engine/db/EmbeddedCluster.cpp" line="116"/>
        <source>Cannot hand %1 to the postgres user: %2</source>
        <translation>%1 kann nicht an den Benutzer postgres übergeben werden: %2</translation>
    </message>
    <message>
        <location filename="../engine/db/EmbeddedCluster.cpp" line="122"/>
        <source>The directory %1 is not a private directory of this user; remove it or set XDG_RUNTIME_DIR.</source>
        <translation>Das Verzeichnis %1 ist kein privates Verzeichnis dieses Benutzers; es entfernen oder XDG_RUNTIME_DIR setzen.</translation>
    </message>
    <message>
        <location filename="../engine/db/EmbeddedCluster.cpp" line="159"/>
        <source>Cannot open %1: %2</source>
        <translation>%1 kann nicht geöffnet werden: %2</translation>
    </message>
    <message>
        <location filename="../engine/db/EmbeddedCluster.cpp" line="231"/>
        <source>Another process has held %1 for %2 s without letting go. If a Playdeck process is stuck (see `fuser -v %1`), end it, and start Playdeck again.</source>
        <translation>Ein anderer Prozess hält %1 seit %2 s, ohne es freizugeben. Hängt ein Playdeck-Prozess (siehe `fuser -v %1`), diesen beenden und Playdeck neu starten.</translation>
    </message>
    <message>
        <location filename="../engine/db/EmbeddedCluster.cpp" line="267"/>
        <source>Cannot run %1: %2</source>
        <translation>%1 kann nicht ausgeführt werden: %2</translation>
    </message>
    <message>
        <location filename="../engine/db/EmbeddedCluster.cpp" line="271"/>
        <source>%1 did not finish in time.</source>
        <translation>%1 wurde nicht rechtzeitig fertig.</translation>
    </message>
    <message>
        <location filename="../engine/db/EmbeddedCluster.cpp" line="274"/>
        <source>%1 failed (exit code %2):
%3</source>
        <translation>%1 fehlgeschlagen (Exit-Code %2):
%3</translation>
    </message>
    <message>
        <location filename="../engine/db/EmbeddedCluster.cpp" line="297"/>
        <source>playdeck-helper, which runs Playdeck&apos;s database server, was not found next to playdeck. Reinstall Playdeck or set PLAYDECK_HELPER.</source>
        <translation>playdeck-helper, der den Datenbankserver von Playdeck ausführt, wurde nicht neben playdeck gefunden. Playdeck neu installieren oder PLAYDECK_HELPER setzen.</translation>
    </message>
    <message>
        <location filename="../engine/db/EmbeddedCluster.cpp" line="328"/>
        <source>Cannot start the database supervisor %1: %2</source>
        <translation>Der Datenbank-Supervisor %1 kann nicht gestartet werden: %2</translation>
    </message>
    <message>
        <location filename="../engine/db/EmbeddedCluster.cpp" line="343"/>
        <source>The PostgreSQL server did not become ready within %1 s. The end of its log (%2):
%3</source>
        <translation>Der PostgreSQL-Server war nicht innerhalb von %1 s bereit. Das Ende seines Protokolls (%2):
%3</translation>
    </message>
    <message>
        <location filename="../engine/db/EmbeddedCluster.cpp" line="339"/>
        <source>The PostgreSQL server did not start. The end of its log (%1):
%2</source>
        <translation>Der PostgreSQL-Server ist nicht gestartet. Das Ende seines Protokolls (%1):
%2</translation>
    </message>
    <message>
        <location filename="../engine/db/EmbeddedCluster.cpp" line="364"/>
        <source>Cannot connect to the private PostgreSQL server: %1</source>
        <translation>Keine Verbindung zum privaten PostgreSQL-Server möglich: %1</translation>
    </message>
    <message>
        <location filename="../engine/db/EmbeddedCluster.cpp" line="376"/>
        <source>Cannot create the playdeck database: %1</source>
        <translation>Die Datenbank playdeck kann nicht angelegt werden: %1</translation>
    </message>
    <message>
        <location filename="../engine/db/EmbeddedCluster.cpp" line="388"/>
        <source>(no server log)</source>
        <translation>(kein Serverprotokoll)</translation>
    </message>
</context>
<context>
    <name>playdeck::Engine</name>
    <message>
        <location filename="../engine/Engine.cpp" line="120"/>
        <source>Starting the database…</source>
        <translation>Die Datenbank wird gestartet…</translation>
    </message>
    <message>
        <location filename="../engine/Engine.cpp" line="124"/>
        <source>The data directory %1 cannot be created. Choose another one with --data-dir or PLAYDECK_DATA_DIR.</source>
        <translation>Das Datenverzeichnis %1 kann nicht angelegt werden. Mit --data-dir oder PLAYDECK_DATA_DIR ein anderes wählen.</translation>
    </message>
    <message>
        <location filename="../engine/Engine.cpp" line="312"/>
        <source>Stopping…</source>
        <translation>Wird beendet…</translation>
    </message>
</context>
<context>
    <name>playdeck::JobFollower</name>
    <message>
        <location filename="../app/JobFollower.cpp" line="53"/>
        <source>1 event of this job is not stored: %1</source>
        <translation>1 Ereignis dieses Jobs ist nicht gespeichert: %1</translation>
    </message>
    <message>
        <location filename="../app/JobFollower.cpp" line="54"/>
        <source>%1 events of this job are not stored: %2</source>
        <translation>%1 Ereignisse dieses Jobs sind nicht gespeichert: %2</translation>
    </message>
</context>
<context>
    <name>playdeck::JobListModel</name>
    <message>
        <location filename="../ui/JobListModel.cpp" line="85"/>
        <source>ID</source>
        <translation>ID</translation>
    </message>
    <message>
        <location filename="../ui/JobListModel.cpp" line="87"/>
        <source>Name</source>
        <translation>Name</translation>
    </message>
    <message>
        <location filename="../ui/JobListModel.cpp" line="89"/>
        <source>Status</source>
        <translation>Status</translation>
    </message>
    <message>
        <location filename="../ui/JobListModel.cpp" line="91"/>
        <source>Started</source>
        <translation>Gestartet</translation>
    </message>
    <message>
        <location filename="../ui/JobListModel.cpp" line="93"/>
        <source>Elapsed</source>
        <translation>Dauer</translation>
    </message>
</context>
<context>
    <name>playdeck::JobView</name>
    <message>
        <location filename="../ui/JobView.cpp" line="40"/>
        <source>&amp;Cancel Job</source>
        <translation>Job &amp;abbrechen</translation>
    </message>
    <message>
        <location filename="../ui/JobView.cpp" line="42"/>
        <source>Stop this job</source>
        <translation>Diesen Job anhalten</translation>
    </message>
    <message>
        <location filename="../ui/JobView.cpp" line="45"/>
        <source>&amp;Relaunch</source>
        <translation>&amp;Erneut starten</translation>
    </message>
    <message>
        <location filename="../ui/JobView.cpp" line="47"/>
        <source>Launch a new job with the same settings</source>
        <translation>Einen neuen Job mit denselben Einstellungen starten</translation>
    </message>
    <message>
        <location filename="../ui/JobView.cpp" line="58"/>
        <source>Elapsed:</source>
        <translation>Dauer:</translation>
    </message>
    <message>
        <location filename="../ui/JobView.cpp" line="70"/>
        <source>Follo&amp;w</source>
        <translation>&amp;Mitverfolgen</translation>
    </message>
    <message>
        <location filename="../ui/JobView.cpp" line="72"/>
        <source>Keep the newest output in view</source>
        <translation>Die neueste Ausgabe im Blick behalten</translation>
    </message>
    <message>
        <location filename="../ui/JobView.cpp" line="121"/>
        <source>No output yet.</source>
        <translation>Noch keine Ausgabe.</translation>
    </message>
    <message>
        <location filename="../ui/JobView.cpp" line="176"/>
        <source>Job #%1</source>
        <translation>Job #%1</translation>
    </message>
    <message>
        <location filename="../ui/JobView.cpp" line="177"/>
        <source>%1 #%2</source>
        <translation>%1 #%2</translation>
    </message>
    <message>
        <location filename="../ui/JobView.cpp" line="205"/>
        <source>Job %1 could not be canceled: %2</source>
        <translation>Job %1 konnte nicht abgebrochen werden: %2</translation>
    </message>
    <message>
        <location filename="../ui/JobView.cpp" line="221"/>
        <source>Job %1 could not be relaunched: %2</source>
        <translation>Job %1 konnte nicht erneut gestartet werden: %2</translation>
    </message>
    <message>
        <location filename="../ui/JobView.cpp" line="241"/>
        <source>Job %1 could not be loaded: %2</source>
        <translation>Job %1 konnte nicht geladen werden: %2</translation>
    </message>
    <message>
        <location filename="../ui/JobView.cpp" line="263"/>
        <source>The output of job %1 could not be loaded: %2</source>
        <translation>Die Ausgabe von Job %1 konnte nicht geladen werden: %2</translation>
    </message>
    <message>
        <location filename="../ui/JobView.cpp" line="337"/>
        <source>loading…</source>
        <translation>wird geladen…</translation>
    </message>
    <message>
        <location filename="../ui/JobView.cpp" line="348"/>
        <source>Playbook: %1</source>
        <translation>Playbook: %1</translation>
    </message>
    <message>
        <location filename="../ui/JobView.cpp" line="352"/>
        <location filename="../ui/JobView.cpp" line="354"/>
        <source>Started: %1</source>
        <translation>Gestartet: %1</translation>
    </message>
    <message>
        <location filename="../ui/JobView.cpp" line="357"/>
        <location filename="../ui/JobView.cpp" line="359"/>
        <source>Finished: %1</source>
        <translation>Beendet: %1</translation>
    </message>
    <message>
        <location filename="../ui/JobView.cpp" line="362"/>
        <source>Node: %1</source>
        <translation>Knoten: %1</translation>
    </message>
    <message>
        <location filename="../ui/JobView.cpp" line="378"/>
        <source>1 event of this job is not stored: %1</source>
        <translation>1 Ereignis dieses Jobs ist nicht gespeichert: %1</translation>
    </message>
    <message>
        <location filename="../ui/JobView.cpp" line="379"/>
        <source>%1 events of this job are not stored: %2</source>
        <translation>%1 Ereignisse dieses Jobs sind nicht gespeichert: %2</translation>
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
        <location filename="../ui/LaunchDialog.cpp" line="50"/>
        <source>(none)</source>
        <translation>(keine)</translation>
    </message>
    <message>
        <location filename="../ui/LaunchDialog.cpp" line="53"/>
        <source>The template&apos;s own variables. Variables entered below are merged over them.</source>
        <translation>Die Variablen der Vorlage. Die unten eingegebenen Variablen werden darübergelegt.</translation>
    </message>
    <message>
        <location filename="../ui/LaunchDialog.cpp" line="59"/>
        <source>YAML or JSON, for example:
name: value</source>
        <translation>YAML oder JSON, zum Beispiel:
name: wert</translation>
    </message>
    <message>
        <location filename="../ui/LaunchDialog.cpp" line="73"/>
        <source>all hosts</source>
        <translation>alle Hosts</translation>
    </message>
    <message>
        <location filename="../ui/LaunchDialog.cpp" line="75"/>
        <source>A host pattern that narrows the inventory, such as webservers:!db1. Leave empty to keep the template&apos;s limit.</source>
        <translation>Ein Host-Muster, das das Inventar eingrenzt, etwa webservers:!db1. Leer lassen, um die Eingrenzung der Vorlage zu behalten.</translation>
    </message>
    <message>
        <location filename="../ui/LaunchDialog.cpp" line="81"/>
        <source>Normal</source>
        <translation>Normal</translation>
    </message>
    <message>
        <location filename="../ui/LaunchDialog.cpp" line="81"/>
        <source>Verbose</source>
        <translation>Ausführlich</translation>
    </message>
    <message>
        <location filename="../ui/LaunchDialog.cpp" line="81"/>
        <source>More Verbose</source>
        <translation>Ausführlicher</translation>
    </message>
    <message>
        <location filename="../ui/LaunchDialog.cpp" line="82"/>
        <source>Debug</source>
        <translation>Debug</translation>
    </message>
    <message>
        <location filename="../ui/LaunchDialog.cpp" line="82"/>
        <source>Connection Debug</source>
        <translation>Verbindungs-Debug</translation>
    </message>
    <message>
        <location filename="../ui/LaunchDialog.cpp" line="82"/>
        <source>WinRM Debug</source>
        <translation>WinRM-Debug</translation>
    </message>
    <message>
        <location filename="../ui/LaunchDialog.cpp" line="84"/>
        <source>%1 (%2)</source>
        <translation>%1 (%2)</translation>
    </message>
    <message>
        <location filename="../ui/LaunchDialog.cpp" line="87"/>
        <source>Check mode (report what would change, change nothing)</source>
        <translation>Prüfmodus (zeigt, was sich ändern würde, ändert nichts)</translation>
    </message>
    <message>
        <location filename="../ui/LaunchDialog.cpp" line="93"/>
        <source>Template variables:</source>
        <translation>Variablen der Vorlage:</translation>
    </message>
    <message>
        <location filename="../ui/LaunchDialog.cpp" line="97"/>
        <source>E&amp;xtra variables:</source>
        <translation>&amp;Zusätzliche Variablen:</translation>
    </message>
    <message>
        <location filename="../ui/LaunchDialog.cpp" line="100"/>
        <source>&amp;Limit:</source>
        <translation>&amp;Eingrenzung:</translation>
    </message>
    <message>
        <location filename="../ui/LaunchDialog.cpp" line="101"/>
        <source>&amp;Verbosity:</source>
        <translation>&amp;Ausführlichkeit:</translation>
    </message>
    <message>
        <location filename="../ui/LaunchDialog.cpp" line="105"/>
        <source>&amp;Launch</source>
        <translation>&amp;Starten</translation>
    </message>
</context>
<context>
    <name>playdeck::LocalTransport</name>
    <message>
        <location filename="../engine/runner/LocalTransport.cpp" line="71"/>
        <source>Cannot create a pipe: %1</source>
        <translation>Eine Pipe kann nicht angelegt werden: %1</translation>
    </message>
</context>
<context>
    <name>playdeck::MainWindow</name>
    <message>
        <location filename="../ui/MainWindow.cpp" line="32"/>
        <source>Playdeck</source>
        <translation>Playdeck</translation>
    </message>
    <message>
        <location filename="../ui/MainWindow.cpp" line="38"/>
        <source>&amp;Templates</source>
        <translation>&amp;Vorlagen</translation>
    </message>
    <message>
        <location filename="../ui/MainWindow.cpp" line="47"/>
        <location filename="../ui/MainWindow.cpp" line="242"/>
        <source>&amp;Launch…</source>
        <translation>&amp;Starten…</translation>
    </message>
    <message>
        <location filename="../ui/MainWindow.cpp" line="49"/>
        <location filename="../ui/MainWindow.cpp" line="244"/>
        <source>Launch a job from the selected template</source>
        <translation>Einen Job aus der gewählten Vorlage starten</translation>
    </message>
    <message>
        <location filename="../ui/MainWindow.cpp" line="59"/>
        <source>J&amp;obs</source>
        <translation>J&amp;obs</translation>
    </message>
    <message>
        <location filename="../ui/MainWindow.cpp" line="128"/>
        <source>Templates could not be loaded: %1</source>
        <translation>Die Vorlagen konnten nicht geladen werden: %1</translation>
    </message>
    <message>
        <location filename="../ui/MainWindow.cpp" line="131"/>
        <source>Jobs could not be loaded: %1</source>
        <translation>Die Jobs konnten nicht geladen werden: %1</translation>
    </message>
    <message>
        <location filename="../ui/MainWindow.cpp" line="146"/>
        <source>Starting the database…</source>
        <translation>Die Datenbank wird gestartet…</translation>
    </message>
    <message>
        <location filename="../ui/MainWindow.cpp" line="154"/>
        <location filename="../ui/MainWindow.cpp" line="155"/>
        <source>Playdeck cannot start</source>
        <translation>Playdeck kann nicht starten</translation>
    </message>
    <message>
        <location filename="../ui/MainWindow.cpp" line="158"/>
        <source>Stopping…</source>
        <translation>Wird beendet…</translation>
    </message>
    <message>
        <location filename="../ui/MainWindow.cpp" line="195"/>
        <source>Quit Playdeck</source>
        <translation>Playdeck beenden</translation>
    </message>
    <message>
        <location filename="../ui/MainWindow.cpp" line="196"/>
        <source>A job is running in this window.</source>
        <translation>In diesem Fenster läuft ein Job.</translation>
    </message>
    <message>
        <location filename="../ui/MainWindow.cpp" line="197"/>
        <source>%1 jobs are running in this window.</source>
        <translation>In diesem Fenster laufen %1 Jobs.</translation>
    </message>
    <message>
        <location filename="../ui/MainWindow.cpp" line="202"/>
        <source>New jobs go to the other Playdeck that takes work.</source>
        <translation>Neue Jobs übernimmt das andere Playdeck, das Arbeit annimmt.</translation>
    </message>
    <message>
        <location filename="../ui/MainWindow.cpp" line="203"/>
        <source>No other Playdeck takes work: new jobs wait until one does (the window, or `playdeck serve`).</source>
        <translation>Kein anderes Playdeck nimmt Arbeit an: Neue Jobs warten, bis eines das tut (das Fenster oder `playdeck serve`).</translation>
    </message>
    <message>
        <location filename="../ui/MainWindow.cpp" line="206"/>
        <source>Canceling stops its playbook now. Letting it finish closes the window at once; Playdeck quits when the job is done.</source>
        <translation>Abbrechen hält sein Playbook sofort an. Wenn er fertig laufen darf, schließt sich das Fenster sofort; Playdeck wird beendet, sobald der Job fertig ist.</translation>
    </message>
    <message>
        <location filename="../ui/MainWindow.cpp" line="208"/>
        <source>Canceling stops their playbooks now. Letting them finish closes the window at once; Playdeck quits when they are done.</source>
        <translation>Abbrechen hält ihre Playbooks sofort an. Wenn sie fertig laufen dürfen, schließt sich das Fenster sofort; Playdeck wird beendet, sobald sie fertig sind.</translation>
    </message>
    <message>
        <location filename="../ui/MainWindow.cpp" line="212"/>
        <source>&amp;Cancel Them and Quit</source>
        <translation>Jobs &amp;abbrechen und beenden</translation>
    </message>
    <message>
        <location filename="../ui/MainWindow.cpp" line="212"/>
        <source>&amp;Cancel It and Quit</source>
        <translation>Job &amp;abbrechen und beenden</translation>
    </message>
    <message>
        <location filename="../ui/MainWindow.cpp" line="215"/>
        <source>Let Them &amp;Finish, Then Quit</source>
        <translation>Jobs &amp;fertig laufen lassen, dann beenden</translation>
    </message>
    <message>
        <location filename="../ui/MainWindow.cpp" line="215"/>
        <source>Let It &amp;Finish, Then Quit</source>
        <translation>Job &amp;fertig laufen lassen, dann beenden</translation>
    </message>
    <message>
        <location filename="../ui/MainWindow.cpp" line="218"/>
        <source>&amp;Don&apos;t Quit</source>
        <translation>&amp;Nicht beenden</translation>
    </message>
    <message>
        <location filename="../ui/MainWindow.cpp" line="237"/>
        <source>&amp;Quit</source>
        <translation>&amp;Beenden</translation>
    </message>
    <message>
        <location filename="../ui/MainWindow.cpp" line="247"/>
        <source>&amp;Cancel</source>
        <translation>&amp;Abbrechen</translation>
    </message>
    <message>
        <location filename="../ui/MainWindow.cpp" line="249"/>
        <source>Stop the job shown</source>
        <translation>Den angezeigten Job anhalten</translation>
    </message>
    <message>
        <location filename="../ui/MainWindow.cpp" line="252"/>
        <source>&amp;Relaunch</source>
        <translation>&amp;Erneut starten</translation>
    </message>
    <message>
        <location filename="../ui/MainWindow.cpp" line="254"/>
        <source>Launch the job shown again with the same settings</source>
        <translation>Den angezeigten Job mit denselben Einstellungen erneut starten</translation>
    </message>
    <message>
        <location filename="../ui/MainWindow.cpp" line="259"/>
        <source>&amp;File</source>
        <translation>&amp;Datei</translation>
    </message>
    <message>
        <location filename="../ui/MainWindow.cpp" line="262"/>
        <source>&amp;Job</source>
        <translation>&amp;Job</translation>
    </message>
    <message>
        <location filename="../ui/MainWindow.cpp" line="300"/>
        <source>Launching…</source>
        <translation>Wird gestartet…</translation>
    </message>
    <message>
        <location filename="../ui/MainWindow.cpp" line="304"/>
        <source>Launch failed</source>
        <translation>Start fehlgeschlagen</translation>
    </message>
    <message>
        <location filename="../ui/MainWindow.cpp" line="307"/>
        <source>Job %1 launched.</source>
        <translation>Job %1 gestartet.</translation>
    </message>
</context>
<context>
    <name>playdeck::NotifyBus</name>
    <message>
        <location filename="../engine/bus/NotifyBus.cpp" line="94"/>
        <source>The connection to PostgreSQL was lost; reconnecting.</source>
        <translation>Die Verbindung zu PostgreSQL ging verloren; sie wird wiederhergestellt.</translation>
    </message>
</context>
<context>
    <name>playdeck::RunJob</name>
    <message>
        <location filename="../engine/runner/RunJob.cpp" line="146"/>
        <source>Task was canceled due to receiving a shutdown signal.</source>
        <translation>Die Aufgabe wurde abgebrochen, weil ein Signal zum Herunterfahren empfangen wurde.</translation>
    </message>
    <message>
        <location filename="../engine/runner/RunJob.cpp" line="158"/>
        <source>Cannot create the job directory %1.</source>
        <translation>Das Job-Verzeichnis %1 kann nicht angelegt werden.</translation>
    </message>
    <message>
        <location filename="../engine/runner/RunJob.cpp" line="384"/>
        <source>Cannot start the job&apos;s worker: %1. Is playdeck-helper installed next to playdeck, and ansible-runner (Debian package python3-ansible-runner)?</source>
        <translation>Der Worker des Jobs kann nicht gestartet werden: %1. Sind playdeck-helper (neben playdeck) und ansible-runner (Debian-Paket python3-ansible-runner) installiert?</translation>
    </message>
</context>
<context>
    <name>playdeck::TemplateListModel</name>
    <message>
        <location filename="../ui/TemplateListModel.cpp" line="28"/>
        <source>Playbook: %1</source>
        <translation>Playbook: %1</translation>
    </message>
    <message>
        <location filename="../ui/TemplateListModel.cpp" line="30"/>
        <source>Project: %1</source>
        <translation>Projekt: %1</translation>
    </message>
    <message>
        <location filename="../ui/TemplateListModel.cpp" line="32"/>
        <source>Inventory: %1</source>
        <translation>Inventar: %1</translation>
    </message>
</context>
</TS>
