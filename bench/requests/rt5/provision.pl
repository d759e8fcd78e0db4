#!/usr/bin/perl
# Creates queue "Bench", privileged user $RT5_USER with only the rights the
# workload needs on that queue, and a REST2 auth token (RT::AuthToken, the
# former RT::Authen::Token extension bundled in RT 5). Writes the token's
# auth string to $RT5_STATE/token. Run with RT_SITE_CONFIG set (see env.sh).
use strict;
use warnings;
use RT;
RT::LoadConfig();
RT::Init();

my $state = $ENV{RT5_STATE} or die "RT5_STATE unset\n";
my $name  = $ENV{RT5_USER}  || 'bench';
my $pass  = $ENV{RT5_PASS}  or die "RT5_PASS unset\n";

my $queue = RT::Queue->new(RT->SystemUser);
$queue->Load('Bench');
unless ($queue->id) {
    my ($ok, $msg) = $queue->Create(Name => 'Bench', Description => 'Okno benchmark peer');
    die "queue: $msg\n" unless $ok;
}

my $user = RT::User->new(RT->SystemUser);
$user->Load($name);
unless ($user->id) {
    my ($ok, $msg) = $user->Create(
        Name         => $name,
        Password     => $pass,
        EmailAddress => "$name\@bench.invalid",
        Privileged   => 1,
    );
    die "user: $msg\n" unless $ok;
}

for my $right (qw(SeeQueue ShowTicket CreateTicket ModifyTicket ReplyToTicket)) {
    my ($ok, $msg) = $user->PrincipalObj->GrantRight(Right => $right, Object => $queue);
    die "right $right: $msg\n" unless $ok || $msg =~ /already/i;
}

my $token = RT::AuthToken->new(RT->SystemUser);
my ($id, $msg, $authstring) = $token->Create(Owner => $user->id, Description => 'okno bench');
die "token: $msg\n" unless $id;

open my $fh, '>', "$state/token" or die $!;
print $fh "$authstring\n";
close $fh;
print "queue=", $queue->id, " user=", $user->id, " token_id=$id\n";
