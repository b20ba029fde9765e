@echo off
rem Outrider launcher for Windows (outrider-VERSION-windows.zip). The JVM flags are bin/outrider's (its header says
rem why, flag by flag) less the Linux-only ones. Replace them with OUTRIDER_JAVA_OPTS or add to them with
rem OUTRIDER_EXTRA_JAVA_OPTS. Java 17 or newer: JAVA_HOME, else jre\ beside bin\, else java on the PATH.
setlocal
set "OUTRIDER_HOME=%~dp0.."
if defined JAVA_HOME if exist "%JAVA_HOME%\bin\java.exe" (
  set "JAVA=%JAVA_HOME%\bin\java.exe"
  goto java_found
)
if exist "%OUTRIDER_HOME%\jre\bin\java.exe" (
  set "JAVA=%OUTRIDER_HOME%\jre\bin\java.exe"
  goto java_found
)
where java >nul 2>nul || (
  echo outrider: no Java runtime found; install Java 17 or newer, or set JAVA_HOME 1>&2
  exit /b 1
)
set "JAVA=java"
:java_found
if not defined OUTRIDER_JAVA_OPTS set "OUTRIDER_JAVA_OPTS=-XX:+UseSerialGC -Xms12m -XX:NewSize=1536k -Xmx192m -XX:MaxMetaspaceSize=96m -XX:ReservedCodeCacheSize=48m -XX:CompileThresholdScaling=4 -XX:FreqInlineSize=100 -XX:MinHeapFreeRatio=40 -XX:MaxHeapFreeRatio=70 -XX:-ShrinkHeapInSteps -XX:SurvivorRatio=4 -Xss512k -XX:StringTableSize=4096 -XX:-UsePerfData -XX:+UnlockDiagnosticVMOptions -XX:GuaranteedSafepointInterval=10000 -XX:AsyncDeflationInterval=10000 -Djdk.internal.httpclient.selectorTimeout=300000 -Xshare:auto -XX:+ExitOnOutOfMemoryError"
set "MAIN=io.outrider.core.cli.Main"
set "CLASS_PATH=%OUTRIDER_HOME%\lib\*"
if /i "%~1"=="tray" goto desktop
if /i "%~1"=="configure" goto desktop
goto run
:desktop
rem the desktop side: a separate process in the user's session, with the window's look and feel from lib\desktop\
set "MAIN=io.outrider.desktop.DesktopMain"
set "CLASS_PATH=%OUTRIDER_HOME%\lib\*;%OUTRIDER_HOME%\lib\desktop\*"
:run
"%JAVA%" %OUTRIDER_JAVA_OPTS% %OUTRIDER_EXTRA_JAVA_OPTS% "-Doutrider.home=%OUTRIDER_HOME%" -cp "%CLASS_PATH%" %MAIN% %*
exit /b %ERRORLEVEL%
