# Shared by the tests that need a fresh PowerShell process (journal, chaos, store, package, isolation). Dot-source it.
# Under `dotnet pwsh` the process is dotnet itself: start children the same way, so no pwsh is needed on PATH.

# Starts a child pwsh and returns the process at once; with -RedirectOutput its output is read by the caller.
function Start-ChildPwsh {
    param([string[]] $Arguments, [hashtable] $Environment = @{}, [switch] $RedirectOutput)
    $psi = [System.Diagnostics.ProcessStartInfo]::new([Environment]::ProcessPath)
    if ([IO.Path]::GetFileNameWithoutExtension($psi.FileName) -eq 'dotnet') { $psi.ArgumentList.Add((Join-Path $PSHOME 'pwsh.dll')) }
    foreach ($argument in $Arguments) { $psi.ArgumentList.Add($argument) }
    foreach ($key in $Environment.Keys) { $psi.Environment[$key] = [string]$Environment[$key] }
    $psi.UseShellExecute = $false
    $psi.RedirectStandardOutput = [bool]$RedirectOutput
    $psi.RedirectStandardError = [bool]$RedirectOutput
    [System.Diagnostics.Process]::Start($psi)
}

# Runs a child pwsh to the end and returns its exit code and output.
function Invoke-ChildPwsh {
    param([string[]] $Arguments, [hashtable] $Environment = @{}, [int] $TimeoutSec = 180)
    $process = Start-ChildPwsh -Arguments $Arguments -Environment $Environment -RedirectOutput
    $stdout = $process.StandardOutput.ReadToEndAsync()
    $stderr = $process.StandardError.ReadToEndAsync()
    Wait-ChildPwsh $process -TimeoutSec $TimeoutSec
    [pscustomobject]@{ ExitCode = $process.ExitCode; Output = $stdout.Result; Errors = $stderr.Result }
}

function Wait-ChildPwsh {
    param([System.Diagnostics.Process[]] $Process, [int] $TimeoutSec = 120)
    foreach ($child in $Process) {
        if (-not $child.WaitForExit($TimeoutSec * 1000)) {
            $child.Kill($true)
            throw "A child pwsh did not finish within $TimeoutSec s."
        }
    }
}

# Where NuGet put the packages of tests/Pester/Pester.Download.proj (restoring it when asked for one that is missing).
function Get-DownloadedPackage {
    param([string] $Id, [string] $Version)
    $packages = if ($env:NUGET_PACKAGES) { $env:NUGET_PACKAGES } else { Join-Path ([Environment]::GetFolderPath('UserProfile')) '.nuget/packages' }
    $folder = Join-Path $packages "$($Id.ToLowerInvariant())/$Version"
    if (-not (Test-Path $folder)) {
        & dotnet restore (Join-Path $PSScriptRoot 'Pester.Download.proj') --verbosity quiet | Out-Null
    }
    $folder
}
